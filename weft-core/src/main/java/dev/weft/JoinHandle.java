package dev.weft;

import java.util.concurrent.CompletableFuture;

/**
 * The handle of a spawned task: a future of its result, and the means to abort it.
 *
 * <p>Awaiting the handle (polling it from another task, {@link #join()}, or
 * {@link AsyncRuntime#blockOn(Future) blockOn}) yields the task's result, or rethrows how it
 * ended: an unchecked exception thrown by the task's future as it is, a checked one wrapped in
 * {@link TaskFailedException}, and an abort or shutdown as {@link TaskCancelledException}.
 *
 * <p>Any number of tasks and threads may await the same handle.
 *
 * @param <T> the type of the task's result
 */
public interface JoinHandle<T> extends Future<T> {

    /**
     * Cancels the task. A task that is waiting or queued is cancelled at once; a task that is
     * being polled is cancelled when that poll returns, whatever it returns (as with
     * {@link java.util.concurrent.FutureTask#cancel(boolean)}, once this call succeeded the task
     * ends cancelled). A task woken by another task on the same worker of a multi-thread runtime
     * waits in that worker's LIFO slot to run right after the poll in progress, and counts as
     * being polled: it is cancelled when that poll returns.
     *
     * @return true when this call cancelled the task; false when it had already completed or
     *         been cancelled
     */
    boolean abort();

    /**
     * Tells whether the task has ended, with a result, a failure, or cancelled.
     *
     * @return true once the task's outcome is known
     */
    boolean isDone();

    /**
     * Blocks the calling thread until the task ends, then returns its result or rethrows how it
     * ended (see the class comment). For threads outside the runtime: a task awaits the handle as
     * a future instead. Like {@link CompletableFuture#join()}, it is not interruptible; an
     * interrupt received while waiting is kept in the thread's interrupt status.
     *
     * <p>On the thread that owns a current-thread runtime, outside of it, {@code join()} drives
     * the runtime until the task ends.
     *
     * @return the task's result
     * @throws IllegalStateException if called from a task or a thread that runs the task's
     *                               runtime, where blocking would stop the runtime itself
     */
    T join();

    /**
     * Returns a {@link CompletableFuture} completed with the task's result, or exceptionally with
     * the exception its future threw (not wrapped), or with {@link TaskCancelledException}.
     * Cancelling the returned future aborts the task. Each call returns a new view.
     *
     * @return a CompletableFuture view of the task
     */
    CompletableFuture<T> toCompletableFuture();
}
