package dev.weft.time.driver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The next clock reading of one thread that drives a runtime, promised before it is taken: a
 * timer created on that thread counts its delay from it rather than reading the clock itself.
 *
 * <h2>Why</h2>
 * A reading of the system clock is a sizeable part of the cost of a timer set and cancelled at
 * once, as most timeouts are (docs/performance.md, "Timer figures"). A timer needs a reading no
 * earlier than its creation, not the one at its creation: the first reading its thread takes
 * after it is one. That thread reads its clock anyway, to drive its wheel, at least every
 * {@code Worker.TIMER_INTERVAL} turns while a reading is awaited, before it parks, and every
 * {@link TimerScope#PROMISES_PER_READING} timers it creates (see {@link TimerScope}). So the
 * timers created between two readings share the second, and those of them armed before it wait
 * on a batch of the wheel that it stages (see {@link TimerWheel}'s "Batches"). Such a timer is
 * never early; it may be late by the time from its creation to that reading: the rest of the
 * poll that created it, and a few polls.
 *
 * <h2>Threads</h2>
 * Filled once, by the thread whose reading it is; read by any thread that polls a timer created
 * there. The value is published by the release store of {@code filled}, which pairs with the
 * acquire load in {@link #isFilled()}.
 */
public final class ClockReading {

    private static final VarHandle FILLED;

    static {
        try {
            FILLED = MethodHandles.lookup()
                    .findVarHandle(ClockReading.class, "filled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long nanos;
    @SuppressWarnings("unused") // accessed through FILLED
    private boolean filled;

    /** Publishes {@code nanos}: pairs with {@link #filledAcquire()}. */
    private void setFilledRelease() {
        FILLED.setRelease(this, true);
    }

    private boolean filledAcquire() {
        return (boolean) FILLED.getAcquire(this);
    }

    /**
     * Records the reading. Its thread only, once.
     *
     * @param reading the clock reading
     */
    void fill(long reading) {
        nanos = reading;
        setFilledRelease();
    }

    /**
     * Tells whether the reading was taken: then {@link #nanos()} is it.
     *
     * @return true once filled
     */
    public boolean isFilled() {
        return filledAcquire();
    }

    /**
     * Returns the reading; only after {@link #isFilled()} returned true.
     *
     * @return the clock reading
     */
    public long nanos() {
        return nanos;
    }
}
