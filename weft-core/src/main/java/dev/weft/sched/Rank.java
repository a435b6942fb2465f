package dev.weft.sched;

import dev.weft.Priority;
import dev.weft.task.Task;
import dev.weft.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a ready task stands in the order of priority scheduling, as one small number: its rank.
 * Each priority has two ranks, the even one for tasks with a deadline and the odd one for tasks
 * without, so that "higher priority first, and within a priority, deadline tasks first" is "lower
 * rank first". A set of non-empty ranks is an {@code int} bitmap, and the most urgent of them is
 * its lowest set bit.
 */
final class Rank {

    /** Priority levels; level 0 is CRITICAL. */
    static final int LEVELS = Priority.values().length;
    /** Ranks: two per level. */
    static final int COUNT = 2 * LEVELS;

    private Rank() {
    }

    /**
     * The task's rank.
     *
     * @param task a task
     * @return {@code 2 * priority + (deadline ? 0 : 1)}
     */
    static int of(Task<?> task) {
        // Optional.empty() is a shared instance: no allocation for a task without a deadline.
        return 2 * task.options().priority().ordinal()
                + (task.options().deadline().isPresent() ? 0 : 1);
    }

    /**
     * The task's priority level.
     *
     * @param task a task
     * @return 0 (CRITICAL) to {@code LEVELS - 1} (BACKGROUND)
     */
    static int levelOf(Task<?> task) {
        return task.options().priority().ordinal();
    }

    static int level(int rank) {
        return rank >> 1;
    }

    /**
     * The bit, in a bitmap of ranks, of a level's tasks without a deadline: what a worker's local
     * queue of that level holds.
     *
     * @param level a priority level
     * @return {@code 1 << (2 * level + 1)}
     */
    static int fifoBit(int level) {
        return 1 << (2 * level + 1);
    }

    static boolean hasDeadline(int rank) {
        return (rank & 1) == 0;
    }

    static boolean hasDeadline(Task<?> task) {
        return task.options().deadline().isPresent();
    }

    /**
     * The most urgent rank of a set.
     *
     * @param ranks a bitmap of ranks
     * @return its lowest rank, or 32 (worse than every rank) if empty
     */
    static int best(int ranks) {
        return Integer.numberOfTrailingZeros(ranks);
    }

    /**
     * Tells whether tasks of more than one rank wait: only then can one starve behind another.
     *
     * @param ranks a bitmap of ranks
     * @return true if two or more bits are set
     */
    static boolean contended(int ranks) {
        return (ranks & (ranks - 1)) != 0;
    }

    /**
     * The task's deadline in nanoseconds since the epoch, saturated to the range of a long.
     *
     * @param task a task with a deadline
     * @return its deadline
     */
    static long deadlineOf(Task<?> task) {
        Optional<Instant> deadline = task.options().deadline();
        return deadline.isPresent() ? epochNanos(deadline.get()) : Long.MAX_VALUE;
    }

    /**
     * Tells whether a task about to be polled for the first time has missed its deadline. Reads
     * the clock only for a task with a deadline.
     *
     * @param task  a task
     * @param clock the runtime's clock, whose {@link Clock#instant()} deadlines are compared with
     * @return true if it has a deadline and it has passed
     */
    static boolean startsLate(Task<?> task, Clock clock) {
        Optional<Instant> deadline = task.options().deadline();
        return deadline.isPresent() && clock.instant().isAfter(deadline.get());
    }

    static long epochNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
                    instant.getNano());
        } catch (ArithmeticException outOfRange) {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
