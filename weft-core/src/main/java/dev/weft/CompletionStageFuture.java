package dev.weft;

import dev.weft.task.Failure;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * {@link Async#fromCompletionStage}: a future of a {@link CompletionStage}'s result. It registers
 * one callback, on its first poll; the callback wakes whichever waker the latest poll left.
 *
 * <p>Ordering: the poller writes {@code waker} then reads {@code done}; the callback writes
 * {@code done} then reads {@code waker}. Both are volatile, so at least one of them sees the
 * other's write: either the poll finds the result or the callback finds the waker.
 */
final class CompletionStageFuture<T> implements Future<T>, BiConsumer<T, Throwable> {

    private final CompletionStage<T> stage;
    private boolean subscribed;
    private volatile Waker waker;
    private volatile boolean done;
    /** Written before {@code done} (release), read after it (acquire). */
    private T value;
    private Throwable failure;

    CompletionStageFuture(CompletionStage<T> stage) {
        this.stage = stage;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (!done) {
            waker = cx.waker();
            if (!subscribed) {
                subscribed = true;
                stage.whenComplete(this);
            }
            if (!done) {
                return Poll.pending();
            }
        }
        if (failure != null) {
            throw Failure.asUnchecked(failure, "the completion stage");
        }
        return Poll.ready(value);
    }

    /** The stage's callback, on whichever thread completed it. */
    @Override
    public void accept(T result, Throwable error) {
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        value = result;
        failure = error;
        done = true;
        Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }
}
