package dev.weft.time.driver;

import dev.weft.time.Clock;
import dev.weft.time.ManualClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A runtime's timers: its clock, and the wheels of the threads that drive it (one per worker,
 * one for a current-thread runtime's owner, one per {@code blockOn} caller that arms a timer).
 * Sums their figures for the metrics, cancels what is left when the runtime terminates, and on a
 * {@link ManualClock} unparks the drivers whose timers a move made due, and moves the clock by
 * itself when asked to.
 *
 * <h2>Auto-advance</h2>
 * With a manual clock, {@code busyDrivers} counts the threads that may still run something: a
 * driver counts itself out just before it parks ({@link #driverParks()}) and back in when its
 * park returns ({@link #driverWakes()}). The one that brings the count to zero, having found
 * nothing to run, moves the clock to the earliest timer of all the wheels (if the runtime has no
 * task queued and no {@code spawnBlocking} work in flight); the move unparks that timer's driver
 * through the clock's listener. A driver woken spuriously, finding nothing, parks again, counts
 * zero again and looks again: so the runtime never stays idle with a timer pending. With the
 * system clock all of this is skipped: the counts cost nothing.
 */
public final class Timers {

    private final Clock clock;
    /** The clock, if it is a manual one; null for the system clock. */
    private final ManualClock manual;
    /** Copy-on-write: fixed for the workers; a blockOn caller adds one at its first timer only. */
    private final List<TimerWheel> wheels = new CopyOnWriteArrayList<>();
    /** Figures of the wheels retired so far, so the metrics never go backwards. */
    private final AtomicLong retiredFired = new AtomicLong();
    private final AtomicLong retiredCancelled = new AtomicLong();
    private final Runnable onClockMoved = this::clockMoved;
    private final AtomicInteger busyDrivers;
    private final BooleanSupplier nothingQueued;

    /**
     * Creates the timers of a runtime.
     *
     * @param clock         the runtime's clock
     * @param busyDrivers   drivers that count as busy at first (see "Auto-advance")
     * @param nothingQueued tells, from any thread, whether the runtime has no task queued to run
     *                      and no blocking work in flight
     */
    public Timers(Clock clock, int busyDrivers, BooleanSupplier nothingQueued) {
        this.clock = clock;
        this.manual = clock instanceof ManualClock m ? m : null;
        this.busyDrivers = new AtomicInteger(busyDrivers);
        this.nothingQueued = nothingQueued;
        if (manual != null) {
            ManualClocks.access().addListener(manual, onClockMoved);
        }
    }

    /**
     * Returns the clock.
     *
     * @return the runtime's clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Tells whether the clock is manual: drivers then park until unparked, since their timers fire
     * only once the clock is moved, which unparks them.
     *
     * @return true for a manual clock
     */
    public boolean isManual() {
        return manual != null;
    }

    TimerWheel newWheel(Runnable wakeDriver) {
        TimerWheel wheel = new TimerWheel(clock, wakeDriver);
        wheels.add(wheel);
        return wheel;
    }

    /** The thread driving {@code wheel} leaves for good: called on that thread. */
    void retire(TimerWheel wheel) {
        wheel.cancelAll();
        if (wheels.remove(wheel)) {
            retiredFired.addAndGet(wheel.fired());
            retiredCancelled.addAndGet(wheel.cancelled());
        }
    }

    /**
     * Returns the number of timers armed now, all wheels together.
     *
     * @return a racy sum
     */
    public long pending() {
        long n = 0;
        for (TimerWheel w : wheels) {
            n += w.pending();
        }
        return n;
    }

    /**
     * Returns the number of timers fired so far.
     *
     * @return a racy sum
     */
    public long fired() {
        long n = retiredFired.get();
        for (TimerWheel w : wheels) {
            n += w.fired();
        }
        return n;
    }

    /**
     * Returns the number of armed timers cancelled so far.
     *
     * @return a racy sum
     */
    public long cancelled() {
        long n = retiredCancelled.get();
        for (TimerWheel w : wheels) {
            n += w.cancelled();
        }
        return n;
    }

    /**
     * The runtime terminated: stops listening to a manual clock. Its wheels hold nothing by then:
     * every timer was held by a task or a blockOn call, which released it when it ended.
     */
    public void close() {
        if (manual != null) {
            ManualClocks.access().removeListener(manual, onClockMoved);
        }
    }

    // ---------------------------------------------------------------- auto-advance

    /** A driver found nothing to run and is about to park; see "Auto-advance". */
    public void driverParks() {
        if (manual != null && busyDrivers.decrementAndGet() == 0) {
            advanceIfIdle();
        }
    }

    /** A driver's park returned. */
    public void driverWakes() {
        if (manual != null) {
            busyDrivers.incrementAndGet();
        }
    }

    /** The manual clock moved (or auto-advance was switched): wake the drivers now due. */
    private void clockMoved() {
        wakeDueDrivers();
        if (busyDrivers.get() == 0) {
            advanceIfIdle();
        }
    }

    private void wakeDueDrivers() {
        for (TimerWheel w : wheels) {
            w.wakeDriverIfDue();
        }
    }

    private void advanceIfIdle() {
        if (!manual.isAutoAdvancing() || !nothingQueued.getAsBoolean()) {
            return;
        }
        long next = Nanos.FOREVER;
        for (TimerWheel w : wheels) {
            // Each owner wrote its nextDue before it counted itself out of busyDrivers (an atomic
            // read-modify-write that this thread's read of zero follows): so none is missed.
            next = Math.min(next, w.nextDue());
        }
        if (next == Nanos.FOREVER || busyDrivers.get() != 0) {
            return; // no timer to jump to, or a driver woke meanwhile and has work
        }
        if (!ManualClocks.access().advanceTo(manual, next)) {
            wakeDueDrivers(); // due already: its driver has not fired it yet
        }
    }
}
