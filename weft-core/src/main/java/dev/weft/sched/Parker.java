package dev.weft.sched;

import dev.weft.time.driver.Nanos;

/**
 * How an idle runtime thread waits for work: the one seam that the I/O driver (a selector that
 * selects instead of parking) and the timers (which bound the wait) will plug into.
 *
 * <p>Permit semantics, like {@link java.util.concurrent.locks.LockSupport}: an {@link #unpark()}
 * that comes before {@link #park(long)} makes that park return at once, so a thread that checked
 * for work, found none, and parks cannot miss work published before the unpark.
 */
public interface Parker {

    /**
     * Waits until unparked (now or since the last park returned), until the timeout elapses,
     * until the thread is interrupted, or spuriously. Called only by the thread that owns this
     * parker.
     *
     * @param timeoutNanos the longest wait, or {@link Nanos#FOREVER} to wait until unparked
     * @return true if the thread was interrupted (before or while parked); its interrupt status
     *         is then cleared, and the caller restores it when it stops running the runtime
     */
    boolean park(long timeoutNanos);

    /** Wakes the owner from {@link #park}, or makes its next park return at once. Any thread. */
    void unpark();
}
