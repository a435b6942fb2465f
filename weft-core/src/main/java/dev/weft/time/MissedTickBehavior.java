package dev.weft.time;

/**
 * What an {@link Interval} does when it falls behind: when a tick completes so late that the
 * next tick is due already (the task was busy, or did not call {@link Interval#tick()} in time).
 * As Tokio's {@code MissedTickBehavior}, with one difference: a tick counts as missed only once the
 * next one is due, so a tick that is merely late never moves the schedule.
 */
public enum MissedTickBehavior {

    /**
     * The missed ticks complete at once, one per call, until the interval has caught up; the
     * schedule never moves: tick k is always start + k x period. The default.
     */
    BURST,

    /**
     * The schedule moves: the next tick is one period after the late one completed, and the
     * ticks after it follow from there.
     */
    DELAY,

    /**
     * The missed ticks are dropped: the next tick is the first one of the original schedule
     * (start + k x period) that is still ahead.
     */
    SKIP
}
