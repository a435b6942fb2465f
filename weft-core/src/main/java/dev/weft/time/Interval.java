package dev.weft.time;

import dev.weft.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Ticks at a fixed period, from {@code Async.interval(period)}. Tick k is due at
 * start + k x period, start being the moment the interval was created: the schedule never
 * drifts, however late each tick is handled (unless {@link MissedTickBehavior#DELAY} says so).
 * The first tick completes at once.
 *
 * <pre>{@code
 * Interval every = Async.interval(Duration.ofMillis(100));
 * // in a task: await every.tick(), do the periodic work, await every.tick() again...
 * }</pre>
 *
 * <p>Use an interval from one task at a time: each {@link #tick()} future completes with the next
 * tick, once.
 */
public interface Interval {

    /**
     * Returns a future of the next tick: it completes, no earlier than the tick is due, with the
     * tick's scheduled instant (start + k x period, in the runtime clock's {@link Clock#instant()}
     * terms).
     *
     * @return a future of the next tick
     */
    Future<Instant> tick();

    /**
     * Sets what happens when ticks are missed. Default: {@link MissedTickBehavior#BURST}.
     *
     * @param behavior the behavior
     * @return this interval
     */
    Interval missedTickBehavior(MissedTickBehavior behavior);

    /**
     * Returns what happens when ticks are missed.
     *
     * @return the behavior
     */
    MissedTickBehavior missedTickBehavior();

    /**
     * Returns the period.
     *
     * @return the period, more than zero
     */
    Duration period();
}
