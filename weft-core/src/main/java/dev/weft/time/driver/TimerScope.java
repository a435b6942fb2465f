package dev.weft.time.driver;

import dev.weft.Waker;
import dev.weft.time.Clock;
import java.lang.invoke.VarHandle;

/**
 * What a thread that drives a runtime offers the timers its polls arm: the wheel they go to (its
 * own), the runtime's clock, and the reading of that clock it promises the timers it creates (see
 * {@link ClockReading}). A thread finds its scope in its context ({@code dev.weft.runtime}); the
 * task whose poll arms a timer holds it (see {@link dev.weft.task.ResourceHolder}). Everything here
 * but the wheel's thread-safe operations belongs to that one thread.
 */
public final class TimerScope extends TimerScopeFields {

    // Padding after the promised reading, which each timer created here takes: the object the GC
    // happens to place next may be another worker's.
    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07;

    /** Timers taken out of the wheel before their wakers run, at most. */
    static final int WAKE_BATCH = 64;
    /** Timers created between two clock readings of the thread, at most: see promiseReading. */
    static final int PROMISES_PER_READING = 32;

    private final Timers timers;
    private final Runnable wakeDriver;
    /** Created on first use for a blockOn caller, which may never arm a timer. */
    private TimerWheel wheel;
    private final Waker[] wakeBatch = new Waker[WAKE_BATCH];

    /**
     * Creates the scope of a thread that drives a runtime.
     *
     * @param timers     the runtime's timers
     * @param wakeDriver unparks that thread
     * @param eager      whether to create the wheel now (a worker, which arms timers all the
     *                   time) rather than on first use (a {@code blockOn} caller)
     */
    public TimerScope(Timers timers, Runnable wakeDriver, boolean eager) {
        this.timers = timers;
        this.wakeDriver = wakeDriver;
        if (eager) {
            wheel = timers.newWheel(wakeDriver);
        }
    }

    /**
     * Returns the runtime's clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return timers.clock();
    }

    /**
     * Returns the wheel timers armed on this thread go to; created on first use by this thread,
     * which then owns it.
     *
     * @return the wheel
     */
    public TimerWheel wheel() {
        TimerWheel w = wheel;
        if (w == null) {
            w = wheel = timers.newWheel(wakeDriver);
        }
        return w;
    }

    /**
     * The calling thread drives this scope from now on: it owns the wheel (see
     * {@link TimerWheel#bindOwner(Thread)}). A worker calls it when it starts; a current-thread
     * runtime's owner when it first drives the runtime.
     */
    public void claim() {
        if (wheel != null) {
            wheel.bindOwner(Thread.currentThread());
        }
    }

    /**
     * Promises a timer created on this thread the next clock reading this thread takes, to count
     * its delay from (see {@link ClockReading}). The thread reads its clock for it at its next look
     * at its wheel, even if no timer is armed: so within {@code Worker.TIMER_INTERVAL} polls, or
     * before it parks; and here, every {@value #PROMISES_PER_READING} promises, so that the timers
     * a long poll creates by the thousand (a fan-out of sleeps) count from soon after each one's
     * creation, not from the end of that poll.
     *
     * @return the reading to come; null with a manual clock, which moves in jumps, so that a
     *         timer counts from a reading taken when it is created
     */
    public ClockReading promiseReading() {
        if (timers.isManual()) {
            return null;
        }
        if (++promised == PROMISES_PER_READING) {
            readClock(); // for the timers promised so far: this one gets the next
        }
        readingAwaited = true;
        return nextReading;
    }

    /**
     * Tells whether {@code reading} is this thread's reading to come: not taken yet, and taken by
     * this thread when it is.
     *
     * @param reading a promised reading
     * @return true if this thread has yet to take it
     */
    public boolean isNextReading(ClockReading reading) {
        return reading == nextReading;
    }

    /**
     * Reads the clock. If a timer was promised this reading, fills the promise and stages in the
     * wheel the timers armed waiting for it: every look at the wheel reads the clock here.
     *
     * @return the reading
     */
    public long readClock() {
        long now = timers.clock().nanoTime();
        if (readingAwaited) {
            readingAwaited = false;
            promised = 0;
            nextReading.fill(now);
            nextReading = new ClockReading(); // one per reading that timers wait for, not per timer
            if (wheel != null) {
                wheel.readingTaken(now);
            }
        }
        return now;
    }

    /**
     * Fires this thread's timers that are due, waking their tasks. Reads the clock only if some
     * timer is pending, or waits for a reading.
     *
     * @return the number fired
     */
    public int fireDue() {
        TimerWheel w = wheel;
        boolean idle = w == null || w.isIdle();
        if (idle && !readingAwaited) {
            return 0; // nothing pending: a few field reads, and no clock
        }
        long now = readClock();
        return !idle && w.needsOwner(now) ? w.fireDue(now, wakeBatch) : 0;
    }

    /**
     * Tells whether this thread should look at its wheel before parking: a timer is due (on a
     * manual clock too), or other threads cancelled timers it must unlink.
     *
     * @return true if {@link #fireDue()} has work
     */
    public boolean hasDue() {
        TimerWheel w = wheel;
        return w != null && !w.isIdle() && w.needsOwner(readClock());
    }

    /**
     * Tells how long this thread may park before its wheel needs it. Called just before parking:
     * it fences, then reads the clock, for a manual clock's move on another thread (see
     * {@link TimerWheel}'s "Memory ordering"); the reading also fills a promised one, so a timer
     * created before the park does not count from after it.
     *
     * @param atMost the longest park the caller wants, in nanoseconds, or {@code Long.MAX_VALUE}
     * @return a wait in nanoseconds, at most {@code atMost}; 0 if the wheel needs this thread now;
     *         {@code atMost} with a manual clock, whose moves unpark this thread
     */
    public long parkNanos(long atMost) {
        TimerWheel w = wheel;
        if ((w == null || w.isIdle()) && !readingAwaited) {
            return atMost; // nothing armed by this thread, so no move of a manual clock to miss
        }
        // Pairs with the move's CAS of a manual clock, before its listener reads nextDue: either
        // that read sees what this thread armed, or the read of the clock below sees the move.
        VarHandle.fullFence();
        long now = readClock();
        if (w == null || w.isIdle()) {
            return atMost; // only a reading was awaited
        }
        if (w.needsOwner(now)) {
            return 0;
        }
        long due = w.nextDue();
        if (timers.isManual() || due == Nanos.FOREVER) {
            return atMost;
        }
        return Math.min(Nanos.subtract(due, now), atMost);
    }

    /** The thread stops driving the runtime: its timers are cancelled and its wheel forgotten. */
    public void close() {
        if (wheel != null) {
            timers.retire(wheel);
            wheel = null;
        }
    }
}

/** The padding before the scope's fields written while polling. */
@SuppressWarnings("unused")
abstract class TimerScopePadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}

/** The fields the thread writes as it creates timers, between the two paddings. */
abstract class TimerScopeFields extends TimerScopePadBefore {
    /**
     * The reading timers created on this thread since its last one count from; see ClockReading.
     */
    ClockReading nextReading = new ClockReading();
    /** Whether a timer was promised {@code nextReading}: the next look at the wheel takes it. */
    boolean readingAwaited;
    /** The timers promised {@code nextReading}. */
    int promised;
}
