package dev.weft.buffer;

import dev.weft.concurrent.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The shared level of one size class: a stack of free buffers behind a spin lock, which thread
 * caches refill from and return to a batch at a time, so a buffer moves through the lock once per
 * batch, not once per use. Threads without a cache (virtual threads) take and give one at a time.
 * Last in, first out: the buffer handed out is the one most recently given back, the likeliest
 * still in a cache. Once closed (its pool closed) it holds nothing and refuses what is given.
 *
 * <h2>Trimming</h2>
 * The depot remembers the fewest buffers it held since its interval began: that many sat unused
 * the whole time, and are what a trim may give back ({@link #trimIdle}); the buffers of one class
 * are alike, so it takes them from the top, copying nothing. A new interval begins
 * ({@link #beginInterval}) once a trim has taken every idle buffer of every depot, so a trim cut
 * short by its bound goes on, in the next call, with what stayed idle.
 */
final class Depot {

    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(Depot.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 free, 1 held; see {@link SpinLock}. Guards the fields below. */
    private volatile int lock;
    private ByteBuffer[] stack = new ByteBuffer[16];
    /** The buffers held; written under the lock, read without it by statistics. */
    private volatile int count;
    /** Guarded by the lock. */
    private boolean closed;
    /** The fewest buffers held since the interval began; guarded by the lock. */
    private int lowWater;

    /**
     * Gives back {@code buffer}.
     *
     * @return false if the depot is closed: the buffer is still the caller's
     */
    boolean push(ByteBuffer buffer) {
        lock();
        try {
            if (closed) {
                return false;
            }
            int n = count;
            if (n == stack.length) {
                grow(n + 1);
            }
            stack[n] = buffer;
            count = n + 1;
            return true;
        } finally {
            unlock();
        }
    }

    /** Takes the buffer given back last, or null if there is none. */
    ByteBuffer pop() {
        if (count == 0) { // a read without the lock: an empty depot costs no lock
            return null;
        }
        lock();
        try {
            int n = count;
            if (n == 0) {
                return null;
            }
            ByteBuffer buffer = stack[--n];
            stack[n] = null;
            count = n;
            lowWater = Math.min(lowWater, n);
            return buffer;
        } finally {
            unlock();
        }
    }

    /**
     * Gives back {@code from[start]} through {@code from[start + n - 1]}.
     *
     * @return false if the depot is closed: the buffers are still the caller's
     */
    boolean pushAll(ByteBuffer[] from, int start, int n) {
        lock();
        try {
            if (closed) {
                return false;
            }
            int c = count;
            if (c + n > stack.length) {
                grow(c + n);
            }
            System.arraycopy(from, start, stack, c, n);
            count = c + n;
            return true;
        } finally {
            unlock();
        }
    }

    /**
     * Closes the depot: it refuses buffers from now on.
     *
     * @return the buffers it held, for the caller to let go
     */
    ByteBuffer[] close() {
        lock();
        try {
            closed = true;
            ByteBuffer[] held = Arrays.copyOf(stack, count);
            Arrays.fill(stack, 0, count, null);
            count = 0;
            lowWater = 0;
            return held;
        } finally {
            unlock();
        }
    }

    /**
     * Takes up to {@code max} buffers into {@code to[0]} onwards.
     *
     * @return how many were taken
     */
    int popInto(ByteBuffer[] to, int max) {
        if (count == 0) {
            return 0;
        }
        lock();
        try {
            int c = count;
            int n = Math.min(c, max);
            int start = c - n;
            System.arraycopy(stack, start, to, 0, n);
            Arrays.fill(stack, start, c, null);
            count = start;
            lowWater = Math.min(lowWater, start);
            return n;
        } finally {
            unlock();
        }
    }

    /**
     * Takes up to {@code to.length} of the buffers that no pop needed since the interval began,
     * into {@code to[0]} onwards; those left idle stay idle.
     *
     * @return how many were taken
     */
    int trimIdle(ByteBuffer[] to) {
        lock();
        try {
            int c = count;
            int n = Math.min(lowWater, to.length); // lowWater <= count always
            int start = c - n;
            System.arraycopy(stack, start, to, 0, n);
            Arrays.fill(stack, start, c, null);
            count = start;
            lowWater -= n;
            return n;
        } finally {
            unlock();
        }
    }

    /**
     * Begins an interval: every buffer held now is idle until a pop takes it.
     */
    void beginInterval() {
        lock();
        try {
            lowWater = count;
        } finally {
            unlock();
        }
    }

    /** The buffers held now; without the lock, so only a snapshot. */
    int size() {
        return count;
    }

    private void grow(int needed) {
        ByteBuffer[] bigger = new ByteBuffer[Math.max(needed, stack.length * 2)];
        System.arraycopy(stack, 0, bigger, 0, count);
        stack = bigger;
    }

    private void lock() {
        SpinLock.lock(LOCK, this);
    }

    private void unlock() {
        SpinLock.unlock(LOCK, this);
    }
}
