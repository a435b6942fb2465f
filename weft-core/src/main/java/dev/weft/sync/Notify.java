package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Waker;
import dev.weft.concurrent.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Wakes tasks that wait for something to happen, without a value: Tokio's {@code Notify}.
 *
 * <ul>
 *   <li>{@link #notifyOne()} wakes the task that has waited longest; if none waits, it stores one
 *       permit (at most one, however many calls), which the next {@link #notified()} takes at
 *       once. So a notification sent just before a task starts waiting is not lost.</li>
 *   <li>{@link #notifyWaiters()} wakes every task waiting now, and completes every
 *       {@code notified()} future created before the call even if not yet polled; it stores no
 *       permit.</li>
 * </ul>
 *
 * <pre>{@code
 * Notify ready = new Notify();
 * runtime.spawn(ready.notified().map(v -> start()));   // waits
 * ready.notifyOne();                                   // from any thread
 * }</pre>
 *
 * <p>A {@code notified()} future dropped while it waits leaves the queue; one dropped after
 * {@code notifyOne} chose it, before its task saw it, passes the notification on to the next
 * waiter, or stores the permit: a notification is never lost to a task that is gone.
 */
public final class Notify {

    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(Notify.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 free, 1 held; see {@link SpinLock}. Guards the fields below but {@code calls}. */
    private volatile int lock;
    /** Calls of {@link #notifyWaiters()} so far; written under the lock, read by creators. */
    private volatile int calls;
    private boolean permit;
    private final WaitQueue<Notified> waiters = new WaitQueue<>();

    /** Creates a notify with no permit stored. */
    public Notify() {
    }

    /**
     * Waits for a notification. The future counts {@link #notifyWaiters()} from now; it takes a
     * stored permit, or queues, when first polled.
     *
     * @return a future that completes once notified
     */
    public Future<Void> notified() {
        return new Notified(this, calls);
    }

    /** Wakes the task that has waited longest, or stores one permit if none waits. */
    public void notifyOne() {
        Notified chosen;
        lock();
        try {
            chosen = chooseLocked();
        } finally {
            unlock();
        }
        if (chosen != null) {
            chosen.wakeAfterLock();
        }
    }

    /** Wakes every task waiting now, and completes the futures created before this call. */
    public void notifyWaiters() {
        Notified all;
        lock();
        try {
            calls = calls + 1;
            all = waiters.removeAll();
            for (Notified w = all; w != null; w = w.next) {
                w.status = Notified.NOTIFIED_ALL;
            }
        } finally {
            unlock();
        }
        WaitQueue.wakeAll(all);
    }

    @Override
    public String toString() {
        lock();
        try {
            String state = permit ? "permit stored" : waiters.isEmpty() ? "idle" : "waiters";
            return "Notify[" + state + "]";
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- for Notified

    /**
     * A notified future's first poll: completes if a permit is stored or notifyWaiters ran since
     * its creation, else queues it.
     *
     * @return DONE or QUEUED
     */
    int takeOrQueue(Notified w, Waker waker) {
        lock();
        try {
            if (calls != w.createdAt) {
                return Notified.DONE;
            }
            if (permit) {
                permit = false;
                return Notified.DONE;
            }
            w.status = Notified.QUEUED;
            waiters.addLast(w, waker);
            return Notified.QUEUED;
        } finally {
            unlock();
        }
    }

    /** A later poll from another task: the waker to wake is that task's now. */
    void setWaker(Notified w, Waker waker) {
        lock();
        try {
            if (w.status == Notified.QUEUED) {
                w.waker = waker;
            }
        } finally {
            unlock();
        }
    }

    /**
     * A future dropped: leaves the queue, or, if notifyOne chose it and its task never saw it,
     * passes that notification on.
     */
    void leave(Notified w) {
        Notified chosen = null;
        lock();
        try {
            int s = w.status;
            if (s == Notified.QUEUED) {
                waiters.remove(w);
            } else if (s == Notified.NOTIFIED_ONE) {
                chosen = chooseLocked();
            } else {
                return;
            }
            w.status = Notified.DROPPED;
            w.waker = null;
        } finally {
            unlock();
        }
        if (chosen != null) {
            chosen.wakeAfterLock();
        }
    }

    /** notifyOne's choice, under the lock: the head of the queue, or a stored permit. */
    private Notified chooseLocked() {
        Notified w = waiters.removeFirst();
        if (w == null) {
            permit = true;
            return null;
        }
        w.status = Notified.NOTIFIED_ONE; // read by its poller without the lock
        return w;
    }

    private void lock() {
        SpinLock.lock(LOCK, this);
    }

    private void unlock() {
        SpinLock.unlock(LOCK, this);
    }
}
