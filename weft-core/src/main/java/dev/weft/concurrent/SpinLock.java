package dev.weft.concurrent;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A spin lock held in an {@code int} field of the object it guards (0 free, 1 held), reached
 * through the owner's {@link VarHandle}: no lock object of its own, and no monitor, whose exit is
 * an atomic instruction where this release is a plain store.
 *
 * <p>Only for critical sections of a few field writes, shorter than parking a thread would take:
 * a contended acquirer spins, and naps only when the holder seems descheduled.
 */
public final class SpinLock {

    /** Spins between two naps while the lock stays held. */
    private static final int SPINS_BEFORE_NAP = 1024;
    /** The nap, in nanoseconds: the shortest timed park, which the OS's timer slack lengthens. */
    private static final long NAP_NANOS = 1_000;

    private SpinLock() {
    }

    /**
     * Acquires the lock. The successful CAS has acquire semantics: it pairs with the releasing
     * store in {@link #unlock}.
     *
     * @param lock  a VarHandle to a volatile {@code int} field of {@code owner}
     * @param owner the object whose field holds the lock
     */
    public static void lock(VarHandle lock, Object owner) {
        // Small enough to inline into the caller, whose VarHandle is then a constant: the CAS
        // compiles to one instruction instead of going through the handle's access-mode checks.
        if (!lock.compareAndSet(owner, 0, 1)) {
            lockContended(lock, owner);
        }
    }

    private static void lockContended(VarHandle lock, Object owner) {
        int spins = 0;
        while (!lock.compareAndSet(owner, 0, 1)) {
            if (++spins % SPINS_BEFORE_NAP == 0) {
                // The holder was descheduled inside its critical section (more threads than
                // cores). Thread.yield() would hand it this core, but the OS scheduler would give
                // the core back to this thread only when the holder's time slice ends,
                // milliseconds later. A timed park lets the holder run, and this thread comes
                // back with a waking thread's precedence (docs/performance.md has the figures).
                LockSupport.parkNanos(NAP_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Releases the lock: the writes made under it happen-before the next acquirer's CAS.
     *
     * @param lock  the VarHandle given to {@link #lock}
     * @param owner the object whose field holds the lock
     */
    public static void unlock(VarHandle lock, Object owner) {
        lock.setRelease(owner, 0);
    }
}
