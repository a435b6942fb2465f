package dev.weft.task;

/**
 * The one seam between a task and the runtime that runs it. A task calls it; it never calls back
 * into the task except through {@link Task#run()}.
 */
public interface TaskScheduler {

    /**
     * Queues a task that a wake has just moved from idle to notified. Called on the waking thread,
     * exactly once per such transition, so each call is one queue entry.
     *
     * @param task the task to queue
     */
    void schedule(Task<?> task);

    /**
     * Called once, on the thread that completed the task, after its outcome is published, so the
     * runtime can forget it.
     *
     * @param task the task that ended
     */
    void release(Task<?> task);

    /**
     * Blocks the calling thread until the task is done, or refuses to when blocking this thread
     * would stop the runtime the task needs.
     *
     * @param task the task to wait for
     * @throws IllegalStateException when the calling thread must not block
     */
    void awaitDone(Task<?> task);
}
