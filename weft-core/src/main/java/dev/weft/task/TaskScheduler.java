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
     * Tells, on a thread about to wake {@code task}, whether that thread will run the task next
     * and no other thread can take it from there (a worker's own LIFO slot). If so, the wake
     * claims the task in the compare-and-set that would have notified it, and hands it over with
     * {@link #scheduleClaimed}; the runner polls it with {@link Task#runClaimed()}, with no claim
     * of its own: one atomic operation less per wake. Default: no.
     *
     * @param task the task about to be woken
     * @return true if a wake on the calling thread may claim the task for it
     */
    default boolean runsNextHere(Task<?> task) {
        return false;
    }

    /**
     * Takes a task that a wake on the calling thread has just claimed for it, after
     * {@link #runsNextHere} said yes on this thread. Called exactly once per such claim; the task
     * must then be run with {@link Task#runClaimed()} or given back with {@link Task#unclaim()}.
     *
     * @param task the claimed task
     */
    default void scheduleClaimed(Task<?> task) {
        throw new IllegalStateException("scheduleClaimed(" + task
                + ") on a scheduler whose runsNextHere never says yes");
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
