package dev.weft.sched;

import dev.weft.task.Task;

/**
 * Starvation prevention (seed section 3.2.4.2.2, in O(1) per task rather than the seed's rebuild
 * of the heap): the one policy every queue that orders tasks by {@link Rank} applies, the
 * current-thread runtime's {@link OwnerRunQueue}, a worker's pick ({@link Worker}) and the global
 * queue's {@link InjectQueue#popStarved}.
 *
 * <h2>The policy</h2>
 * <ul>
 *   <li>A ready task is starved once it has waited {@code threshold} or more behind tasks of a
 *       more urgent rank: by a reading of the runtime's clock, since the stamp it was queued with
 *       ({@link #isStarved}).</li>
 *   <li>Tasks of the most urgent rank waiting wait behind nobody: they never count as starved.
 *       So starvation is looked for only while tasks of two ranks or more wait
 *       ({@link #mayTakeStarved}).</li>
 *   <li>Of the starved tasks, the one that waited longest goes first; only the oldest task of each
 *       rank can be it, and each queue knows its oldest in O(1), so finding it costs one read per
 *       rank waiting ({@link #oldestRank}), never a scan of a queue.</li>
 *   <li>A starved task takes every other pick at most: a backlog of starved tasks (a flood that
 *       waited long behind its own kind) cannot shut out the more urgent ranks, which then wait
 *       one poll more at worst.</li>
 * </ul>
 *
 * <h2>Stamps and readings</h2>
 * Stamps and readings come from the runtime's clock ({@code dev.weft.time.Clock#nanoTime()}),
 * whose values only mean something as differences: they are compared by subtraction, which stays
 * right when the readings wrap around the long range. A stamp may be early (a cached reading),
 * never late: a task can only look older than it is, so it may be promoted early, never late.
 *
 * <h2>Threads</h2>
 * Immutable: one instance per runtime, read by every picker. Each picker keeps whether its last
 * pick took a starved task in a field of its own, which it writes on every pick.
 */
final class Aging {

    /** Each rank's oldest task, for {@link #oldestRank}. */
    interface OldestTasks {

        /**
         * Returns the task of {@code rank} that has waited longest, whose
         * {@link Task#queuedAt()} is its stamp.
         *
         * @param rank a rank the caller saw holding a task
         * @return the task, or null if the rank holds none after all (a thief took it)
         */
        Task<?> oldestOf(int rank);
    }

    /** {@link #oldestRank}'s answer when no rank holds a task. */
    static final int NO_RANK = -1;

    private final long thresholdNanos;

    /**
     * Creates the policy of a runtime.
     *
     * @param thresholdNanos how long a task may wait behind more urgent ones, zero or more
     */
    Aging(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
    }

    /**
     * Tells whether a task queued at {@code stamp} has waited the threshold by {@code now}.
     *
     * @param stamp when it was queued
     * @param now   a reading of the same clock, taken after the stamp
     * @return true if it is starved
     */
    boolean isStarved(long stamp, long now) {
        return now - stamp >= thresholdNanos;
    }

    /**
     * Tells whether a pick may take a starved task: tasks of two ranks or more wait, and the
     * picker's previous pick did not take a starved one. The caller then reads the clock and looks.
     *
     * @param ranks           the bitmap of the ranks waiting
     * @param tookStarvedLast whether the picker's previous pick took a starved task
     * @return true if the pick should look for a starved task
     */
    static boolean mayTakeStarved(int ranks, boolean tookStarvedLast) {
        return !tookStarvedLast && Rank.contended(ranks);
    }

    /**
     * Tells whether a task stamped {@code a} has waited longer than one stamped {@code b}.
     *
     * @param a a stamp
     * @param b a stamp of the same clock
     * @return true if {@code a} is the earlier
     */
    static boolean isOlder(long a, long b) {
        return a - b < 0;
    }

    /**
     * Finds, among {@code ranks}, the rank whose oldest task has waited longest; ties go to the
     * more urgent rank.
     *
     * @param ranks a bitmap of ranks, each expected to hold a task
     * @param tasks each rank's oldest task
     * @return that rank, or {@link #NO_RANK} if none holds a task
     */
    static int oldestRank(int ranks, OldestTasks tasks) {
        int oldest = NO_RANK;
        long oldestStamp = 0;
        for (int r = ranks; r != 0; r &= r - 1) {
            int rank = Rank.best(r);
            Task<?> task = tasks.oldestOf(rank);
            if (task == null) {
                continue; // emptied meanwhile
            }
            long stamp = task.queuedAt();
            if (oldest == NO_RANK || isOlder(stamp, oldestStamp)) {
                oldest = rank;
                oldestStamp = stamp;
            }
        }
        return oldest;
    }
}
