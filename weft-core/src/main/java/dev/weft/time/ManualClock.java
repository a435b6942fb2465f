package dev.weft.time;

import dev.weft.time.driver.ManualClocks;
import dev.weft.time.driver.Nanos;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when told to, for tests: a runtime built with it
 * ({@code AsyncRuntime.Builder.clock(clock)}) fires a timer only once the clock has been moved
 * past the timer's deadline, so timer code runs instantly and deterministically, however slow
 * the machine.
 *
 * <p>Time moves by {@link #advance(Duration)}: every runtime on this clock then fires the timers
 * now due, as if that much time had passed at once. With {@link #autoAdvance(boolean)
 * autoAdvance(true)} it also moves by itself, as Tokio's paused clock does: whenever a runtime on
 * it has nothing to do but wait for a timer (no task ready, none running, no
 * {@code spawnBlocking} work in flight), the clock jumps to that runtime's next timer. A test of a
 * timeout then takes no time at all.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
 *     JoinHandle<Void> nap = rt.spawn(Async.sleep(Duration.ofSeconds(5)));
 *     rt.runUntilStalled();                  // the task now waits for its timer
 *     clock.advance(Duration.ofSeconds(5));
 *     rt.runUntilStalled();                  // the timer fires and the task ends
 *     assert nap.isDone();
 * }
 * }</pre>
 *
 * <p>{@link #nanoTime()} starts at 0; {@link #instant()} starts at the instant given to the
 * constructor. Thread-safe: any thread may read or move the clock.
 */
public final class ManualClock implements Clock {

    private static final VarHandle NANOS;

    static {
        try {
            NANOS = MethodHandles.lookup().findVarHandle(ManualClock.class, "nanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // The runtime's hooks into this clock, kept out of its public surface.
        ManualClocks.install(new ManualClocks.Access() {
            @Override
            public void addListener(ManualClock clock, Runnable listener) {
                clock.listeners.add(listener);
            }

            @Override
            public void removeListener(ManualClock clock, Runnable listener) {
                clock.listeners.remove(listener);
            }

            @Override
            public boolean advanceTo(ManualClock clock, long nanoTime) {
                return clock.moveTo(nanoTime);
            }
        });
    }

    private final Instant start;
    /**
     * Nanoseconds since {@code start}; only ever grows, by CAS. The move's CAS comes before the
     * listeners read each wheel's next deadline, and pairs with the fence and clock read of a
     * driver about to park (TimerScope.parkNanos): one of the two sees the other.
     */
    private volatile long nanos;
    private volatile boolean autoAdvance;
    /** The runtimes on this clock, told after each move. */
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Creates a clock at the current wall-clock instant, that moves only when told to. */
    public ManualClock() {
        this(Instant.now());
    }

    /**
     * Creates a clock at {@code start}, that moves only when told to.
     *
     * @param start what {@link #instant()} returns until the clock moves
     */
    public ManualClock(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
    }

    /** Every move: the CAS a parking driver's fence pairs with (see the field). */
    private boolean casNanos(long expected, long next) {
        return NANOS.compareAndSet(this, expected, next);
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return start.plusNanos(nanos);
    }

    /**
     * Moves the clock forward; every runtime on it then fires the timers now due (on its own
     * threads: this call does not wait for them).
     *
     * @param duration how far, zero or more
     * @throws IllegalArgumentException if negative
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    "ManualClock.advance duration must not be negative, was " + duration);
        }
        long delta = Nanos.of(duration);
        long current;
        do {
            current = nanos;
        } while (!casNanos(current, Nanos.add(current, delta)));
        tellListeners();
    }

    /**
     * Switches automatic advance on or off (default off): on, whenever a runtime on this clock has
     * nothing to do but wait for a timer, the clock jumps to that timer's deadline.
     *
     * @param on whether the clock moves by itself
     * @return this clock
     */
    public ManualClock autoAdvance(boolean on) {
        autoAdvance = on;
        tellListeners(); // a runtime idle right now must look again
        return this;
    }

    /**
     * Tells whether the clock moves by itself; see {@link #autoAdvance(boolean)}.
     *
     * @return true if it does
     */
    public boolean isAutoAdvancing() {
        return autoAdvance;
    }

    /** Moves to {@code nanoTime} unless the clock is there already; for auto-advance. */
    private boolean moveTo(long nanoTime) {
        long current;
        do {
            current = nanos;
            if (current >= nanoTime) {
                return false;
            }
        } while (!casNanos(current, nanoTime));
        tellListeners();
        return true;
    }

    private void tellListeners() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + (autoAdvance ? ", auto-advancing" : "") + "]";
    }
}
