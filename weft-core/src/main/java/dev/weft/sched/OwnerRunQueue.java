package dev.weft.sched;

import dev.weft.task.Task;
import dev.weft.time.Clock;
import java.util.ArrayDeque;

/**
 * The run queue of the current-thread runtime: touched by its owner thread only, so it needs no
 * synchronization. With priority scheduling, one FIFO per priority for tasks without a deadline
 * and one {@link DeadlineQueue} per priority for tasks with one, and a bitmap of the non-empty
 * {@link Rank ranks}; without, a single FIFO.
 *
 * <h2>Order</h2>
 * The lowest non-empty rank first (higher priority; within it, earliest deadline; ties FIFO),
 * but for starved tasks, which go first as {@link Aging} says. Each rank knows its oldest task in
 * O(1) (a FIFO's head; a deadline queue's first arrival), so looking for a starved task is one
 * read per non-empty rank, never a scan.
 *
 * <h2>Clock</h2>
 * Tasks are stamped when queued with a cached reading of the runtime's clock that
 * {@link #refreshClock()} renews (the runtime does at each batch, after parking, and before a
 * spawn by the owner outside a drive), and renewed by every take that looks for a starved task.
 * A stale stamp is earlier than the real arrival, so a task can only look older than it is:
 * starvation prevention may act early, never late. This keeps the clock off the path of a spawn.
 */
final class OwnerRunQueue implements Aging.OldestTasks {

    private final boolean byPriority;
    private final Clock clock;
    private final Aging aging;
    /** Whether the last take was a starved task: the next one is not (see Aging). */
    private boolean tookStarved;
    /** Tasks without a deadline, per level; a single one without priority scheduling. */
    private final ArrayDeque<Task<?>>[] fifos;
    /** Tasks with a deadline, per level; created on first use. */
    private final DeadlineQueue[] deadlines;
    /** Bit r set while rank r holds a task. */
    private int ranks;
    private int size;
    /** The clock reading tasks are stamped with: see "Clock". */
    private long reading;

    /**
     * Creates an empty queue.
     *
     * @param byPriority     whether to order tasks by rank, or FIFO
     * @param clock          the runtime's clock, which stamps tasks
     * @param thresholdNanos the starvation threshold
     */
    @SuppressWarnings("unchecked")
    OwnerRunQueue(boolean byPriority, Clock clock, long thresholdNanos) {
        this.byPriority = byPriority;
        this.clock = clock;
        this.aging = new Aging(thresholdNanos);
        this.reading = clock.nanoTime();
        this.fifos = (ArrayDeque<Task<?>>[]) new ArrayDeque<?>[byPriority ? Rank.LEVELS : 1];
        for (int i = 0; i < fifos.length; i++) {
            fifos[i] = new ArrayDeque<>();
        }
        this.deadlines = new DeadlineQueue[byPriority ? Rank.LEVELS : 0];
    }

    /**
     * Renews the cached clock that stamps queued tasks; without priority scheduling, nothing reads
     * it.
     */
    void refreshClock() {
        if (byPriority) {
            reading = clock.nanoTime();
        }
    }

    /**
     * Queues a task now (by the cached clock).
     *
     * @param task a task in no other queue
     */
    void add(Task<?> task) {
        add(task, reading);
    }

    /**
     * Queues a task that was queued at {@code stamp} (a task moved from the inbox keeps the stamp
     * its waker gave it).
     *
     * @param task  a task in no other queue
     * @param stamp when it was queued
     */
    void add(Task<?> task, long stamp) {
        size++;
        if (!byPriority) {
            fifos[0].addLast(task);
            return;
        }
        int rank = Rank.of(task);
        int level = Rank.level(rank);
        if (Rank.hasDeadline(rank)) {
            DeadlineQueue queue = deadlines[level];
            if (queue == null) {
                queue = deadlines[level] = new DeadlineQueue();
            }
            queue.add(task, Rank.deadlineOf(task), stamp);
        } else {
            task.stampQueued(stamp);
            fifos[level].addLast(task);
        }
        ranks |= 1 << rank;
    }

    /**
     * Takes the task to run next.
     *
     * @return the task, or null if empty
     */
    Task<?> poll() {
        if (!byPriority) {
            Task<?> task = fifos[0].pollFirst();
            if (task != null) {
                size--;
            }
            return task;
        }
        int r = ranks;
        if (r == 0) {
            return null;
        }
        int best = Rank.best(r);
        int starved = Aging.mayTakeStarved(r, tookStarved) ? starvedRank(r & ~(1 << best))
                : Aging.NO_RANK;
        tookStarved = starved != Aging.NO_RANK;
        Task<?> task;
        int rank;
        if (starved != Aging.NO_RANK) {
            rank = starved;
            task = Rank.hasDeadline(rank) ? deadlines[Rank.level(rank)].pollOldest()
                    : fifos[Rank.level(rank)].pollFirst();
        } else {
            rank = best;
            task = takeFrom(rank);
        }
        size--;
        if (rankIsEmpty(rank)) {
            ranks &= ~(1 << rank);
        }
        return task;
    }

    /**
     * Finds the rank holding the task that has waited longest, by a fresh reading of the clock.
     *
     * @param behindBest the non-empty ranks behind the best one
     * @return that rank if its oldest task is starved; else {@link Aging#NO_RANK}
     */
    private int starvedRank(int behindBest) {
        reading = clock.nanoTime();
        int oldest = Aging.oldestRank(behindBest, this);
        return oldest != Aging.NO_RANK && aging.isStarved(oldestOf(oldest).queuedAt(), reading)
                ? oldest : Aging.NO_RANK;
    }

    @Override
    public Task<?> oldestOf(int rank) {
        int level = Rank.level(rank);
        return Rank.hasDeadline(rank) ? deadlines[level].peekOldest() : fifos[level].peekFirst();
    }

    private Task<?> takeFrom(int rank) {
        int level = Rank.level(rank);
        return Rank.hasDeadline(rank) ? deadlines[level].poll() : fifos[level].pollFirst();
    }

    private boolean rankIsEmpty(int rank) {
        int level = Rank.level(rank);
        return Rank.hasDeadline(rank) ? deadlines[level].isEmpty() : fifos[level].isEmpty();
    }

    int size() {
        return size;
    }

    /**
     * Tasks queued at a priority level; from another thread than the owner, a racy estimate (for
     * metrics), which is all such a read can be.
     *
     * @param level 0 (CRITICAL) to {@code Rank.LEVELS - 1}
     * @return the count, or -1 without priority scheduling, whose single FIFO keeps no levels
     */
    int size(int level) {
        if (!byPriority) {
            return -1;
        }
        return fifos[level].size() + (deadlines[level] == null ? 0 : deadlines[level].size());
    }

    /** Drops every entry. */
    void clear() {
        for (ArrayDeque<Task<?>> fifo : fifos) {
            fifo.clear();
        }
        for (int level = 0; level < deadlines.length; level++) {
            if (deadlines[level] != null) {
                deadlines[level] = new DeadlineQueue();
            }
        }
        ranks = 0;
        size = 0;
    }
}
