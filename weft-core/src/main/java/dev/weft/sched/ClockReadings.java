package dev.weft.sched;

import dev.weft.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The latest reading of the runtime's clock by any worker, shared so that a spawn or wake from
 * outside the workers can stamp its task (for starvation prevention) without reading the clock,
 * a sizeable part of the cost of such a spawn (docs/performance.md).
 *
 * <p>While the global queue holds tasks, workers are taking them, and each reads the clock at
 * least every {@value Worker#GLOBAL_QUEUE_INTERVAL} picks (on every pick while ranks compete), so
 * the shared reading is at most that many polls old; a stamp from it is early, never late, which
 * is the safe side (see Worker). Onto an empty queue, the workers may all be parked and the
 * reading arbitrarily old, so such a spawn reads the clock itself, and shares its reading with
 * the spawns that follow it.
 *
 * <p>Ordering: opaque writes and reads suffice. The value is a hint whose only requirement is to
 * be some earlier reading; the task carrying the stamp is published by the queue's lock.
 */
final class ClockReadings extends ClockReadingsField {

    // Padding after the reading: it is written by the workers and read by every outside spawn,
    // and must not share a line with what the GC places next.
    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07;

    private final Clock clock;

    /**
     * Creates the shared reading.
     *
     * @param clock the runtime's clock
     */
    ClockReadings(Clock clock) {
        this.clock = clock;
        latest = clock.nanoTime();
    }

    void publish(long reading) {
        setLatestOpaque(reading);
    }

    /**
     * A stamp for a task about to be pushed onto {@code queue}.
     *
     * @param queue the global queue
     * @return the workers' latest reading, or a fresh one if the queue looks empty
     */
    long stampFor(InjectQueue queue) {
        if (!queue.isEmpty()) {
            return latestOpaque();
        }
        // Shared too: after an idle spell the workers' last reading is as old as the spell, and
        // the spawns that follow this one, onto a queue no longer empty, must not take it.
        long now = clock.nanoTime();
        publish(now);
        return now;
    }
}

/** The padding before the reading. */
@SuppressWarnings("unused")
abstract class ClockReadingsPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}

/** The reading itself, between the two paddings. */
abstract class ClockReadingsField extends ClockReadingsPadBefore {

    private static final VarHandle LATEST;

    static {
        try {
            LATEST = MethodHandles.lookup()
                    .findVarHandle(ClockReadingsField.class, "latest", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Accessed through {@link #LATEST}, opaque. */
    long latest;

    final long latestOpaque() {
        return (long) LATEST.getOpaque(this);
    }

    final void setLatestOpaque(long reading) {
        LATEST.setOpaque(this, reading);
    }
}
