package dev.weft.task;

import dev.weft.TaskCancelledException;
import dev.weft.Waker;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link CompletableFuture} view of a task: completed by the task's completion (it is one of
 * the task's waiters), and cancelling it aborts the task.
 */
final class TaskCompletableFuture<T> extends CompletableFuture<T> implements Waker {

    private final Task<T> task;

    TaskCompletableFuture(Task<T> task) {
        this.task = task;
    }

    /** Called once the task completed. */
    @Override
    public void wake() {
        task.completeInto(this);
    }

    /**
     * Aborts the task. When that succeeds the view is cancelled at once, as
     * {@link java.util.concurrent.Future#cancel(boolean)} promises, even if the task is being
     * polled and ends a moment later.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (task.abort()) {
            completeExceptionally(new TaskCancelledException(task.describe() + " was cancelled"));
            return true;
        }
        if (task.isDone()) {
            task.completeInto(this);
        }
        return isCancelled();
    }
}
