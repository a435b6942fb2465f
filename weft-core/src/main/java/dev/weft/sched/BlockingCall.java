package dev.weft.sched;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.task.Failure;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@code spawnBlocking} call: run by a thread of the blocking pool, as a {@link FutureTask}, and
 * awaited by the task that {@code spawnBlocking} returns, as a {@link Future} whose poll is ready
 * once the call is done. Cancelling it (what an abort of that task does, see
 * {@link RuntimeBase#spawnBlocking}) keeps it from starting, or interrupts the thread running it.
 *
 * <p>Ordering: the poller writes {@code waker}, then reads the FutureTask's state ({@link #isDone},
 * a volatile read); the pool thread writes that state, then {@link #done()} reads {@code waker}.
 * Both volatile, so at least one sees the other's write: either the poll finds the call done, or
 * {@code done()} finds the waker and wakes it.
 *
 * @param <T> the call's result type
 */
final class BlockingCall<T> extends FutureTask<T> implements Future<T> {

    private final Runnable onDone;
    private volatile Waker waker;

    /**
     * Wraps a call.
     *
     * @param callable the blocking work
     * @param onDone   run on the pool thread once the call is done, before its task is woken
     */
    BlockingCall(Callable<T> callable, Runnable onDone) {
        super(callable);
        this.onDone = onDone;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (!isDone()) {
            waker = cx.waker();
            if (!isDone()) {
                return Poll.pending();
            }
        }
        try {
            return Poll.ready(get());
        } catch (ExecutionException failed) {
            throw Failure.asUnchecked(failed.getCause(), "the spawnBlocking call");
        } catch (InterruptedException | CancellationException notWhileItsTaskLives) {
            // Done already, so get() cannot wait; cancelled only once its task was aborted, which
            // then polls it no more. Reported rather than dropped, should either happen.
            throw new IllegalStateException(
                    "the spawnBlocking call was cancelled under its running task",
                    notWhileItsTaskLives);
        }
    }

    /**
     * Fails the call with the pool's refusal to run it; does nothing if it was cancelled.
     *
     * @param refusal the pool's exception
     */
    void refuse(RejectedExecutionException refusal) {
        setException(refusal);
    }

    @Override
    protected void done() {
        onDone.run();
        Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }
}
