package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Waker;
import dev.weft.concurrent.SpinLock;
import dev.weft.task.Scoped;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A fair counting semaphore for tasks: {@link #acquire(int)} waits, without blocking a thread,
 * until its permits are free, and waiters are served in the order they started waiting, however
 * many permits each asks for. {@link Mutex} is one permit of it.
 *
 * <h2>How it works</h2>
 * As Tokio's batch semaphore: one atomic word holds the free permits, a CLOSED bit and a WAITERS
 * bit; a queue of waiters sits behind a lock. While nobody waits, {@code acquire},
 * {@code tryAcquire} and {@code release} are one compare-and-set on the word. A waiter that
 * finds too few permits takes those there are, sets WAITERS and queues for the rest; a release
 * that sees WAITERS hands its permits to the queue's head first, in order, and returns to the
 * word only what nobody waits for. So permits are never free while someone waits (WAITERS set
 * means none are), and a later, smaller request cannot overtake an earlier one.
 *
 * <h2>Cancellation</h2>
 * An acquire future dropped before it completed (its task aborted, a {@code select} it lost, a
 * timeout that expired) leaves the queue at once and gives back every permit it had been
 * handed, to the next waiters; one dropped after its permits were all handed to it, but before
 * its task saw them, gives them all back. Once its poll has returned ready, the permits are the
 * caller's, to {@link #release(int)} when done: as with {@link java.util.concurrent.Semaphore},
 * nothing gives them back for a task that is aborted while holding them, unless they were taken
 * with {@link #withPermits}, which releases them however its body ends.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread, inside or outside a runtime. An acquire future is
 * polled by one task at a time, like any future. Wakers are woken after the lock is let go.
 */
public final class Semaphore {

    /** The most permits a semaphore holds: 2^29 - 1 (the word's two low bits are flags). */
    public static final int MAX_PERMITS = Integer.MAX_VALUE >>> 2;

    /** In {@code state}: closed; every acquire fails. */
    private static final int CLOSED = 1;
    /** In {@code state}: the queue holds waiters, so no permit is free. */
    private static final int WAITERS = 1 << 1;
    private static final int SHIFT = 2;

    private static final VarHandle STATE;
    private static final VarHandle LOCK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Semaphore.class, "state", int.class);
            LOCK = lookup.findVarHandle(Semaphore.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Free permits shifted left by {@link #SHIFT}, with {@link #CLOSED} and {@link #WAITERS}. */
    private volatile int state;
    /** 0 free, 1 held; see {@link SpinLock}. Guards the queue and every waiter's fields. */
    private volatile int lock;
    /** The waiters, served first to last; guarded by the lock. */
    private final WaitQueue<Acquire> waiters = new WaitQueue<>();

    /**
     * Creates a semaphore.
     *
     * @param permits the free permits, from 0 to {@link #MAX_PERMITS}
     * @throws IllegalArgumentException if {@code permits} is out of that range
     */
    public Semaphore(int permits) {
        if (permits < 0 || permits > MAX_PERMITS) {
            throw new IllegalArgumentException("permits must be between 0 and " + MAX_PERMITS
                    + ", was " + permits);
        }
        this.state = permits << SHIFT;
    }

    /**
     * One permit; see {@link #acquire(int)}.
     *
     * @return a future that completes once the permit is the caller's
     */
    public Future<Void> acquire() {
        return acquire(1);
    }

    /**
     * Waits for {@code n} permits. The future does nothing until polled: then it takes the
     * permits if they are free and nobody waits before it, or queues for them. It fails with
     * {@link IllegalStateException} if the semaphore is closed before it got them all.
     *
     * @param n the permits, from 1 to {@link #MAX_PERMITS}
     * @return a future that completes once the permits are the caller's
     * @throws IllegalArgumentException if {@code n} is out of that range
     */
    public Future<Void> acquire(int n) {
        return new Acquire(this, checkCount(n));
    }

    /**
     * Acquires {@code n} permits, runs {@code body}'s future, and releases them when that future
     * completes, fails or is dropped (its task aborted, a {@code select} it lost, a timeout that
     * expired): so a task that is gone holds none. The body must not release them itself.
     *
     * <pre>{@code
     * Future<Response> r = connections.withPermits(1, () -> client.call(request));
     * }</pre>
     *
     * @param n    the permits, from 1 to {@link #MAX_PERMITS}
     * @param body makes the future to run while the permits are held
     * @param <R>  its result
     * @return a future of the body's result
     * @throws IllegalArgumentException if {@code n} is out of that range
     * @throws NullPointerException     if {@code body} is null
     */
    public <R> Future<R> withPermits(int n, Supplier<? extends Future<R>> body) {
        Objects.requireNonNull(body, "body");
        return new Scoped<Void, R>(acquire(n), v -> body.get(), v -> release(n));
    }

    /**
     * Takes {@code n} permits if they are free and nobody waits for permits.
     *
     * @param n the permits, from 1 to {@link #MAX_PERMITS}
     * @return true if the permits are now the caller's
     * @throws IllegalArgumentException if {@code n} is out of that range
     * @throws IllegalStateException    if the semaphore is closed
     */
    public boolean tryAcquire(int n) {
        checkCount(n);
        int s = state;
        while (true) {
            if ((s & CLOSED) != 0) {
                throw closed();
            }
            if ((s & WAITERS) != 0 || (s >>> SHIFT) < n) {
                return false;
            }
            int witness = (int) STATE.compareAndExchange(this, s, s - (n << SHIFT));
            if (witness == s) {
                return true;
            }
            s = witness;
        }
    }

    /**
     * Gives back {@code n} permits: to the waiters first, in order, and what they do not need
     * becomes free. A permit need not have been acquired to be released (it adds one), as with
     * {@link java.util.concurrent.Semaphore}.
     *
     * @param n the permits, from 1 to {@link #MAX_PERMITS}
     * @throws IllegalArgumentException if {@code n} is out of that range
     * @throws IllegalStateException    if the free permits would exceed {@link #MAX_PERMITS}
     */
    public void release(int n) {
        checkCount(n);
        int s = state;
        while ((s & WAITERS) == 0) {
            int witness = (int) STATE.compareAndExchange(this, s, added(s, n));
            if (witness == s) {
                return;
            }
            s = witness;
        }
        lock();
        Acquire granted;
        try {
            granted = handOutLocked(n);
        } finally {
            unlock();
        }
        WaitQueue.wakeAll(granted);
    }

    /**
     * The permits free now: a hint, which other threads may change at once.
     *
     * @return the free permits
     */
    public int availablePermits() {
        return state >>> SHIFT;
    }

    /**
     * Closes the semaphore: every waiting acquire fails with {@link IllegalStateException}, and
     * so does every later one, and {@link #tryAcquire}. Permits already acquired stay the
     * holders', and may still be released. Idempotent.
     */
    public void close() {
        lock();
        Acquire failed;
        try {
            int given = 0;
            for (Acquire w = waiters.first(); w != null; w = w.next) {
                given += w.needed - w.remaining; // handed to a waiter that will never use them
            }
            // CLOSED in the word first: whoever sees a waiter failed, sees the semaphore closed.
            int s = state;
            while (true) {
                int next = (added(s, given) & ~WAITERS) | CLOSED;
                int witness = (int) STATE.compareAndExchange(this, s, next);
                if (witness == s) {
                    break;
                }
                s = witness;
            }
            failed = waiters.removeAll();
            for (Acquire w = failed; w != null; w = w.next) {
                w.status = Acquire.CLOSED;
            }
        } finally {
            unlock();
        }
        WaitQueue.wakeAll(failed);
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    @Override
    public String toString() {
        int s = state;
        return "Semaphore[permits=" + (s >>> SHIFT) + ((s & WAITERS) != 0 ? ", waiters" : "")
                + ((s & CLOSED) != 0 ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- for Acquire

    /** Takes {@code n} free permits with one CAS, unless someone waits or it is closed. */
    boolean tryTake(int n) {
        int s = state;
        while ((s & (CLOSED | WAITERS)) == 0 && (s >>> SHIFT) >= n) {
            int witness = (int) STATE.compareAndExchange(this, s, s - (n << SHIFT));
            if (witness == s) {
                return true;
            }
            s = witness;
        }
        return false;
    }

    /**
     * The slow path of a first poll: under the lock, takes the permits if they are all free,
     * or those there are and queues {@code w} for the rest.
     *
     * @param w     the waiter, IDLE
     * @param waker the task to wake once granted
     * @return {@link Acquire#GRANTED} if it took them all, {@link Acquire#QUEUED} or
     *         {@link Acquire#CLOSED}
     */
    int enqueue(Acquire w, Waker waker) {
        lock();
        try {
            int s = state;
            while (true) {
                if ((s & CLOSED) != 0) {
                    return Acquire.CLOSED;
                }
                int free = s >>> SHIFT;
                int taken;
                int next;
                if ((s & WAITERS) == 0 && free >= w.needed) {
                    taken = w.needed;
                    next = s - (taken << SHIFT);
                } else {
                    taken = free; // zero if others wait: WAITERS means nothing is free
                    next = (s & CLOSED) | WAITERS;
                }
                int witness = (int) STATE.compareAndExchange(this, s, next);
                if (witness != s) {
                    s = witness;
                    continue;
                }
                if (taken == w.needed) {
                    return Acquire.GRANTED;
                }
                w.remaining = w.needed - taken;
                w.status = Acquire.QUEUED; // before the lock is let go: a release may grant next
                waiters.addLast(w, waker);
                return Acquire.QUEUED;
            }
        } finally {
            unlock();
        }
    }

    /** A later poll from another task: the waker to wake is that task's now. */
    void setWaker(Acquire w, Waker waker) {
        lock();
        try {
            if (w.status == Acquire.QUEUED) {
                w.waker = waker;
            }
        } finally {
            unlock();
        }
    }

    /**
     * A queued waiter dropped: takes it out and hands what it had been given to the others.
     * Returns false if it was no longer queued (granted or failed in between).
     */
    boolean leave(Acquire w) {
        lock();
        Acquire granted;
        try {
            if (w.status != Acquire.QUEUED) {
                return false;
            }
            w.status = Acquire.DROPPED;
            waiters.remove(w);
            w.waker = null;
            granted = handOutLocked(w.needed - w.remaining);
        } finally {
            unlock();
        }
        WaitQueue.wakeAll(granted);
        return true;
    }

    /**
     * Hands {@code n} permits (zero or more) to the queue in order, under the lock; if the
     * queue ends up empty, clears WAITERS and frees the rest, in one CAS.
     *
     * @return the waiters now granted, linked through {@code next}, to wake after the lock
     */
    private Acquire handOutLocked(int n) {
        int left = n;
        Acquire lastGranted = null;
        for (Acquire w = waiters.first(); w != null && left > 0; w = w.next) {
            int give = Math.min(left, w.remaining);
            w.remaining -= give;
            left -= give;
            if (w.remaining > 0) {
                break;
            }
            w.status = Acquire.GRANTED; // read by the poller without the lock
            lastGranted = w;
        }
        Acquire granted = lastGranted == null ? null : waiters.removeThrough(lastGranted);
        if (waiters.isEmpty()) {
            int s = state;
            while (true) {
                int witness =
                        (int) STATE.compareAndExchange(this, s, added(s, left) & ~WAITERS);
                if (witness == s) {
                    break;
                }
                s = witness;
            }
        }
        return granted;
    }

    /** {@code s} with {@code n} more free permits. */
    private static int added(int s, int n) {
        int free = s >>> SHIFT;
        if (n > MAX_PERMITS - free) {
            throw new IllegalStateException("releasing " + n + " permits would make "
                    + ((long) free + n) + " free, more than MAX_PERMITS (" + MAX_PERMITS + ")");
        }
        return s + (n << SHIFT);
    }

    private static int checkCount(int n) {
        if (n < 1 || n > MAX_PERMITS) {
            throw new IllegalArgumentException("n must be between 1 and " + MAX_PERMITS
                    + ", was " + n);
        }
        return n;
    }

    static IllegalStateException closed() {
        return new IllegalStateException("the semaphore is closed");
    }

    private void lock() {
        SpinLock.lock(LOCK, this);
    }

    private void unlock() {
        SpinLock.unlock(LOCK, this);
    }
}
