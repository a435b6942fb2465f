package dev.weft.time.driver;

import java.time.Duration;
import java.time.Instant;

/**
 * Saturating arithmetic on nanosecond clock readings and durations, the one place where a timeout
 * becomes a deadline: a deadline a century ahead, a timeout of {@code Long.MAX_VALUE} units, or a
 * manual clock moved to the end of time must saturate rather than wrap around (a wrapped deadline
 * lies in the past and fires a timer early, or in the far future and makes a wait endless).
 *
 * <p>{@link #FOREVER} is the one value for "no deadline": a wait that only a wake ends, a wheel
 * with nothing armed, a timeout too long to matter. Every sum and difference here saturates to
 * it, so code that adds to a deadline never needs room below it.
 */
public final class Nanos {

    /** No deadline: every sum that would pass it saturates to it. */
    public static final long FOREVER = Long.MAX_VALUE;
    /** Whole seconds below which (in magnitude) a duration's nanoseconds fit in a {@code long}. */
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    private Nanos() {
    }

    /**
     * Adds, saturated to the long range.
     *
     * @param a a reading or a duration
     * @param b a duration, possibly negative
     * @return {@code a + b}, or {@code Long.MIN_VALUE} / {@link #FOREVER} where that overflows
     */
    public static long add(long a, long b) {
        long sum = a + b;
        // Overflow only if both have the sign the sum lacks.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : FOREVER;
        }
        return sum;
    }

    /**
     * Subtracts, saturated to the long range.
     *
     * @param a a reading or a duration
     * @param b a reading or a duration
     * @return {@code a - b}, or {@code Long.MIN_VALUE} / {@link #FOREVER} where that overflows
     */
    public static long subtract(long a, long b) {
        long difference = a - b;
        if (((a ^ b) & (a ^ difference)) < 0) {
            return a < 0 ? Long.MIN_VALUE : FOREVER;
        }
        return difference;
    }

    /**
     * Converts a duration, saturated to the long range: a duration too long for a {@code long} of
     * nanoseconds (292 years, give or take the last second) is {@link #FOREVER}.
     *
     * @param d a duration, possibly negative
     * @return its nanoseconds
     */
    public static long of(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < MAX_SECONDS && seconds > -MAX_SECONDS) {
            return d.toNanos(); // cannot overflow: see MAX_SECONDS
        }
        return seconds > 0 ? FOREVER : Long.MIN_VALUE;
    }

    /**
     * The deadline of a wait of {@code timeoutNanos} from {@code now}: a timeout of zero or less
     * is due at once ({@code now}); {@link #FOREVER}, or one too long to add, is no deadline.
     *
     * @param now          a clock reading
     * @param timeoutNanos the longest wait, any value
     * @return the deadline, no earlier than {@code now}, or {@link #FOREVER}
     */
    public static long deadline(long now, long timeoutNanos) {
        if (timeoutNanos == FOREVER) {
            // whatever now is: a reading may be negative, and FOREVER must stay FOREVER
            return FOREVER;
        }
        return timeoutNanos <= 0 ? now : add(now, timeoutNanos);
    }

    /**
     * How long is left until {@code deadline}.
     *
     * @param deadline a deadline from {@link #deadline}, or {@link #FOREVER}
     * @param now      a reading of the same clock
     * @return the nanoseconds left, 0 if it has passed, {@link #FOREVER} if there is no deadline
     */
    public static long remaining(long deadline, long now) {
        if (deadline == FOREVER) {
            return FOREVER;
        }
        return Math.max(0, subtract(deadline, now));
    }

    /**
     * Nanoseconds from {@code from} to {@code to}, saturated.
     *
     * @param from an instant
     * @param to   an instant
     * @return the nanoseconds between them, negative if {@code to} is earlier
     */
    public static long between(Instant from, Instant to) {
        return of(Duration.between(from, to));
    }
}
