package dev.weft.sync;

import dev.weft.Waker;
import dev.weft.task.Wakes;

/**
 * The queue of waiting futures of one primitive, in the order they started waiting. Intrusive:
 * each waiting future is its own node (it extends {@link Waiter}), so waiting allocates nothing
 * beyond the future, and a dropped future leaves from the middle in constant time.
 *
 * <p>Not thread-safe: the primitive's lock guards the queue and every waiter's links and waker.
 * Waking is done after that lock is let go, on a chain taken out under it ({@link #removeAll},
 * {@link #removeThrough}): a woken task may run at once and come back for the lock.
 *
 * @param <W> the waiting futures
 */
final class WaitQueue<W extends WaitQueue.Waiter<W>> {

    /**
     * A waiting future's place in a {@link WaitQueue}, then in the chain of those to wake.
     *
     * @param <W> the future's own type
     */
    abstract static class Waiter<W extends Waiter<W>> {
        /** Links in the queue or in a chain; guarded by the primitive's lock. */
        W prev;
        W next;
        /** The task to wake; set under the primitive's lock, taken by the wake after it. */
        Waker waker;

        /** Wakes the task once its status changed under the lock, after the lock is let go. */
        final void wakeAfterLock() {
            Waker w = waker;
            waker = null;
            Wakes.wake(w, "when its wait ended");
        }
    }

    private W head;
    private W tail;

    /** The waiter that has waited longest, or null. */
    W first() {
        return head;
    }

    boolean isEmpty() {
        return head == null;
    }

    /** Appends {@code w}, which no queue holds, to be woken through {@code waker}. */
    void addLast(W w, Waker waker) {
        w.waker = waker;
        w.prev = tail;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
    }

    /** Takes {@code w}, which this queue holds, out of it; its waker stays. */
    void remove(W w) {
        W prev = w.prev;
        W next = w.next;
        if (prev == null) {
            head = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.prev = prev;
        }
        w.prev = null;
        w.next = null;
    }

    /** Takes the waiter that has waited longest out of the queue; null if it is empty. */
    W removeFirst() {
        W w = head;
        if (w != null) {
            remove(w);
        }
        return w;
    }

    /**
     * Takes the waiters from the first through {@code last}, which this queue holds, out of it.
     *
     * @return those waiters, in order, linked through {@code next}: a chain for {@link #wakeAll}
     */
    W removeThrough(W last) {
        W taken = head;
        head = last.next;
        if (head == null) {
            tail = null;
        } else {
            head.prev = null;
        }
        last.next = null;
        for (W w = taken; w != null; w = w.next) {
            w.prev = null;
        }
        return taken;
    }

    /**
     * Empties the queue.
     *
     * @return every waiter, in order, linked through {@code next}: a chain for {@link #wakeAll}
     */
    W removeAll() {
        return head == null ? null : removeThrough(tail);
    }

    /** Wakes each waiter of a chain taken out under the lock; the lock is let go by now. */
    static <W extends Waiter<W>> void wakeAll(W chain) {
        W w = chain;
        while (w != null) {
            W next = w.next;
            w.next = null;
            w.wakeAfterLock();
            w = next;
        }
    }
}
