package dev.weft.sched;

import dev.weft.time.driver.Nanos;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Parker} on {@link LockSupport}, with a three-state word (as in Tokio's park): EMPTY,
 * PARKED (the owner is, or is about to be, blocked in LockSupport.park), NOTIFIED (a permit is
 * pending).
 *
 * <p>Ordering: {@code parkedThread} is written before the CAS EMPTY to PARKED (release), and
 * {@link #unpark()} reads it after its getAndSet saw PARKED (acquire), so it unparks the right
 * thread. A wakeup is never lost: if the unpark's getAndSet comes before the park's CAS, the CAS
 * fails and park returns; if after, it sees PARKED and unparks the thread, whose
 * {@code LockSupport.park} then returns at once even if it had not blocked yet.
 */
public final class ThreadParker implements Parker {

    private static final int EMPTY = 0;
    private static final int PARKED = 1;
    private static final int NOTIFIED = 2;

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

    @Override
    public void unpark() {
        if (state == NOTIFIED) {
            return; // a permit is pending already: nothing to write
        }
        if (getAndSetState(NOTIFIED) == PARKED) {
            LockSupport.unpark(parkedThread);
        }
    }
}
