package dev.weft;

import dev.weft.runtime.ThreadContext;
import dev.weft.time.Clock;
import dev.weft.time.Interval;
import dev.weft.time.MissedTickBehavior;
import dev.weft.time.driver.Nanos;
import dev.weft.time.driver.TimerScope;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code Async.interval}: the deadline of the alarm is the next tick's, moved on each time a tick
 * completes, by the period (see {@link MissedTickBehavior} for a tick completed after the next
 * was due). Tick k's instant is computed from the start, not summed, so it never drifts.
 */
final class IntervalTimer extends Alarm implements Interval {

    private final Duration period;
    private final long periodNanos;
    private MissedTickBehavior behavior = MissedTickBehavior.BURST;
    /** Bound on the first tick's poll: the start, on the runtime's clock and as an instant. */
    private long startNanos;
    private Instant startInstant;

    /**
     * An interval of {@code period} starting now.
     *
     * @param period more than zero
     */
    IntervalTimer(Duration period) {
        super(Duration.ZERO);
        this.period = period;
        this.periodNanos = Math.max(1, Nanos.of(period));
    }

    @Override
    public Future<Instant> tick() {
        return this::pollTick;
    }

    private Poll<Instant> pollTick(Context context) {
        Waker waker = context.waker();
        ThreadContext cx = pollingContext("an interval's tick");
        TimerScope scope = cx.timers();
        long scheduled = due(cx);
        if (startInstant == null) {
            Clock clock = scope.clock();
            startNanos = scheduled;
            startInstant = clock.instant().minusNanos(Nanos.subtract(clock.nanoTime(), scheduled));
        }
        if (!isDue(cx, waker)) {
            return Poll.pending();
        }
        long now = scope.readClock(); // also takes a reading promised to timers created here
        moveDue(following(scheduled, now), now);
        return Poll.ready(startInstant.plusNanos(scheduled - startNanos));
    }

    /**
     * The deadline of the tick after the one due at {@code scheduled}, which completed at
     * {@code now}.
     */
    private long following(long scheduled, long now) {
        long next = Nanos.add(scheduled, periodNanos);
        if (now < next) {
            return next; // on time (or late, but not by a whole period): the schedule holds
        }
        switch (behavior) {
            case DELAY:
                return Nanos.add(now, periodNanos);
            case SKIP:
                long missed = Nanos.subtract(now, scheduled) / periodNanos; // at least 1
                long ahead;
                try {
                    ahead = Math.multiplyExact(missed + 1, periodNanos);
                } catch (ArithmeticException beyondTheEndOfTime) {
                    ahead = Long.MAX_VALUE;
                }
                return Nanos.add(scheduled, ahead);
            case BURST:
            default:
                return next;
        }
    }

    @Override
    public Interval missedTickBehavior(MissedTickBehavior missed) {
        behavior = Objects.requireNonNull(missed, "missedTickBehavior");
        return this;
    }

    @Override
    public MissedTickBehavior missedTickBehavior() {
        return behavior;
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public String toString() {
        return "Interval[every " + period + ", " + behavior + "]";
    }
}
