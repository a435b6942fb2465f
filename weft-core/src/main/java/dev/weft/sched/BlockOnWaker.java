package dev.weft.sched;

import dev.weft.Context;
import dev.weft.Waker;

/**
 * The waker and context of the future given to {@code blockOn}: it is not a task, so a wake
 * sets a flag that the driving thread checks between batches of tasks, and unparks that thread
 * if the wake comes from elsewhere.
 *
 * <p>Ordering: the flag is volatile. The driver clears it before polling the future; a wake that
 * lands after the clear sets it again and the future is polled once more; a wake that found it
 * still set precedes the clear in the synchronization order, so the poll that follows sees what
 * the waker published before waking.
 */
final class BlockOnWaker implements Waker, Context {

    private final Parker parker;
    private final Thread driver;
    /** Starts set: the future is polled once before anything wakes it. */
    private volatile boolean notified = true;

    BlockOnWaker(Parker parker, Thread driver) {
        this.parker = parker;
        this.driver = driver;
    }

    @Override
    public void wake() {
        if (notified) {
            return;
        }
        notified = true;
        if (Thread.currentThread() != driver) {
            parker.unpark();
        }
    }

    @Override
    public Waker waker() {
        return this;
    }

    /** Driver only: consumes a pending wake. */
    boolean takeNotification() {
        if (!notified) {
            return false;
        }
        notified = false;
        return true;
    }

    boolean isNotified() {
        return notified;
    }
}
