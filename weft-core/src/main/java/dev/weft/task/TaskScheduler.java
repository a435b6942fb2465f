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
     * Returns, on a thread about to wake {@code task}, the place where that thread will run the
     * task next and no other thread can take it from (a worker's own LIFO slot), or null. Given
     * one, the wake claims the task in the compare-and-set that would have notified it, and hands
     * it to {@link RunNextSlot#takeClaimed}; the runner polls it with {@link Task#runClaimed()},
     * with no claim of its own: one atomic operation less per wake. Default: none.
     *
     * @param task the task about to be woken
     * @return the calling thread's run-next slot if a wake here may claim the task, else null
     */
    default RunNextSlot runNextSlot(Task<?> task) {
        return null;
    }

    /** A thread's own place for the task it runs next, which no other thread takes from. */
    interface RunNextSlot {

        /**
         * Takes a task a wake on the owning thread has just claimed for it. Called exactly once
         * per such claim; the task must then be run with {@link Task#runClaimed()} or given back
         * with {@link Task#unclaim()}.
         *
         * @param task the claimed task
         */
        void takeClaimed(Task<?> task);
    }

    /**
     * Called on the thread polling the task, before the task first waits for a wake: from then
     * on it sits in no run queue, and the runtime must still be able to find it to cancel it. A
     * task that is found some other way (a runtime that tracks every task from its spawn) is not
     * passed here. Called at most once per task, while it holds its RUNNING claim.
     *
     * @param task the task about to wait
     * @return false if the runtime is cancelling all its tasks: the task then ends cancelled
     *         instead of waiting
     */
    boolean trackPending(Task<?> task);

    /**
     * Called once, on the thread that completed the task, after its outcome is published and its
     * waiters were woken, so the runtime can forget it. Code the waiters run on this thread (the
     * continuations of {@link Task#toCompletableFuture()}) thus runs while the task still counts as
     * live.
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
