package dev.weft.time.driver;

import java.time.Duration;
import java.time.Instant;

/**
 * Saturating arithmetic on nanosecond readings and durations: a deadline a century ahead, or a
 * manual clock moved to the end of time, must saturate rather than wrap into the past (which
 * would fire a timer early).
 */
final class Nanos {

    /** A quarter of the long range, 73 years: "no deadline", with room to add to it without overflow. */
    static final long FOREVER = Long.MAX_VALUE / 4;
    /** {@link #FOREVER} as a duration: a constant, since every timer's delay is compared with it. */
    private static final Duration FOREVER_DURATION = Duration.ofNanos(FOREVER);

    private Nanos() {
    }

    /** {@code a + b}, saturated to the long range. */
    static long add(long a, long b) {
        long sum = a + b;
        // Overflow only if both have the sign the sum lacks.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** {@code a - b}, saturated to the long range. */
    static long subtract(long a, long b) {
        long difference = a - b;
        if (((a ^ b) & (a ^ difference)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return difference;
    }

    /** A duration in nanoseconds, at most {@link #FOREVER}. */
    static long of(Duration d) {
        if (d.compareTo(FOREVER_DURATION) >= 0) {
            return FOREVER;
        }
        return d.toNanos();
    }

    /** Nanoseconds from {@code from} to {@code to}, negative if {@code to} is earlier, within +-{@link #FOREVER}. */
    static long between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        if (d.isNegative()) {
            return d.compareTo(Duration.ofNanos(-FOREVER)) <= 0 ? -FOREVER : d.toNanos();
        }
        return of(d);
    }
}
