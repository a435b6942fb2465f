package dev.weft.time;

import java.time.Instant;

/**
 * The time a runtime's timers run on: the system clock by default, or a {@link ManualClock} that
 * tests move by hand. Set with {@code AsyncRuntime.Builder.clock(Clock)}.
 *
 * <p>Two readings: {@link #nanoTime()}, monotonic, which timers are measured on, and
 * {@link #instant()}, the wall-clock time that {@code Async.sleepUntil} deadlines and interval
 * ticks are expressed in.
 */
public sealed interface Clock permits SystemClock, ManualClock {

    /**
     * Returns the system clock: {@link System#nanoTime()} and {@link Instant#now()}.
     *
     * @return the system clock, the same object on every call
     */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /**
     * Returns the monotonic time in nanoseconds, from an arbitrary origin: only differences
     * between two readings of one clock mean something.
     *
     * @return the time
     */
    long nanoTime();

    /**
     * Returns the wall-clock time.
     *
     * @return the current instant
     */
    Instant instant();
}
