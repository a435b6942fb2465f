package dev.weft.sched;

import dev.weft.net.driver.IoDriver;
import dev.weft.time.driver.Nanos;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Parker} on {@link LockSupport}, or on the runtime's I/O driver, with a four-state word
 * (after Tokio's park): EMPTY; PARKED (the owner is, or is about to be, blocked in
 * LockSupport.park); SELECTING (it is, or is about to be, blocked in the driver's select, which
 * it holds: see {@link #parkSelecting}); NOTIFIED (a permit is pending).
 *
 * <p>Ordering: {@code parkedThread} and {@code selectingOn} are written before the CAS from EMPTY
 * (release), and {@link #unpark()} reads them after its getAndSet saw PARKED or SELECTING
 * (acquire), so it wakes the right thread the right way. A wakeup is never lost: if the unpark's
 * getAndSet comes before the park's CAS, the CAS fails and the park returns; if after, it sees
 * the thread parked and unparks it ({@code LockSupport.park} then returns at once even if it had
 * not blocked yet) or wakes the select ({@code Selector.wakeup()} makes even a select that has
 * not started yet return at once). One unpark per park reaches the thread: the others find
 * NOTIFIED, which is also the gate that keeps wakes from costing a selector wakeup each.
 */
public final class ThreadParker implements Parker {

    private static final int EMPTY = 0;
    private static final int PARKED = 1;
    private static final int NOTIFIED = 2;
    private static final int SELECTING = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ThreadParker.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;
    private Thread parkedThread;
    private IoDriver selectingOn;
    /** Unparks that ended a select; the owner's, for its metrics. */
    private long wakeups;

    private boolean casState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    private int getAndSetState(int next) {
        return (int) STATE.getAndSet(this, next);
    }

    @Override
    public boolean park(long timeoutNanos) {
        if (casState(NOTIFIED, EMPTY)) {
            return false;
        }
        parkedThread = Thread.currentThread();
        if (!casState(EMPTY, PARKED)) {
            // Only an unpark can have changed EMPTY: consume its permit.
            state = EMPTY;
            return false;
        }
        long deadline = Nanos.deadline(System.nanoTime(), timeoutNanos);
        while (true) {
            if (deadline == Nanos.FOREVER) {
                LockSupport.park(this);
            } else {
                long remaining = Nanos.remaining(deadline, System.nanoTime());
                if (remaining <= 0) {
                    // Give up the wait; an unpark that raced in leaves NOTIFIED, consumed here.
                    state = EMPTY;
                    return false;
                }
                LockSupport.parkNanos(this, remaining);
            }
            if (Thread.interrupted()) {
                // Cleared (LockSupport.park returns at once while it is set) and reported, so
                // that the caller decides: a drive that an interrupt ends (a shutdown's) stops,
                // the others look for work and park again. A racing unpark's permit is
                // consumed, as by any return: the caller looks for work anyway.
                state = EMPTY;
                return true;
            }
            if (casState(NOTIFIED, EMPTY)) {
                return false;
            }
        }
    }

    /**
     * Parks by selecting on the runtime's I/O driver, which the caller holds: waits for
     * readiness, an unpark or the timeout, and wakes the tasks whose channels are ready before it
     * returns. The same permit protocol as {@link #park}: a pending unpark makes it return at
     * once (after a select that does not wait). An interrupt ends the select and is left set, for
     * the caller to clear.
     *
     * @param io           the driver, held by the calling thread
     * @param timeoutNanos the longest wait, or {@link Nanos#FOREVER}
     * @return the number of channels the select reported ready
     */
    public int parkSelecting(IoDriver io, long timeoutNanos) {
        if (casState(NOTIFIED, EMPTY)) {
            return io.selectNow();
        }
        selectingOn = io;
        if (!casState(EMPTY, SELECTING)) {
            state = EMPTY; // only an unpark can have changed EMPTY: consume its permit
            return io.selectNow();
        }
        int events = io.select(timeoutNanos);
        if (getAndSetState(EMPTY) == NOTIFIED) {
            wakeups++; // an unpark ended this park (its wakeup may have come after the select)
        }
        return events;
    }

    /**
     * Tells how many unparks ended a select of this parker's owner. The owner's.
     *
     * @return the count
     */
    public long selectWakeups() {
        return wakeups;
    }

    @Override
    public void unpark() {
        if (state == NOTIFIED) {
            return; // a permit is pending already: nothing to write
        }
        int previous = getAndSetState(NOTIFIED);
        if (previous == PARKED) {
            LockSupport.unpark(parkedThread);
        } else if (previous == SELECTING) {
            selectingOn.wakeup();
        }
    }
}
