package dev.weft.buffer;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One platform thread's free buffers for one pool: a small stack per size class, which only that
 * thread touches, so an acquire or a release that the stack serves takes no lock and no atomic.
 * An empty stack refills a batch from the class's {@link Depot}; a full one gives its older half
 * back. The bytes it may hold are reserved from the pool's bound ahead, a chunk at a time, so the
 * bound holds without an atomic per release.
 *
 * <p>Written by its thread only; the pool reads the counters for statistics without
 * synchronization (so they are a snapshot), and takes the buffers back once the thread ended.
 * It holds no reference to its pool (each call is given it): the thread's {@code ThreadLocal}
 * entry holds the cache, and a cache holding its pool would keep that entry's key, the pool's
 * {@code ThreadLocal}, from ever being cleared, and a dropped pool alive as long as the thread.
 */
final class ThreadCache {

    /** A batch moves at most this many bytes through a depot's lock (64 buffers at most). */
    private static final int BATCH_BYTES = 256 * 1024;
    private static final int MAX_BATCH = 64;
    /** Reserved from the pool's bound at a time; kept unused up to twice this. */
    static final long RESERVE_CHUNK = 64 * 1024;
    /** One watched buffer in this many, on average, when sampling. */
    private static final int SAMPLE_MASK = 127;

    final WeakReference<Thread> owner;
    private final ByteBuffer[][] stacks = new ByteBuffer[SizeClasses.COUNT][];
    private final int[] counts = new int[SizeClasses.COUNT];
    /** Bytes of the pool's bound reserved by this cache; at least {@link #held}. */
    long budget;
    /** Bytes of the buffers in the stacks. */
    long held;
    /** Acquisitions served from the stacks, per tier (small, medium), and those allocated. */
    final long[] hits = new long[2];
    final long[] misses = new long[2];
    long acquired;
    long released;
    /**
     * xorshift32 state for sampling, never 0: random, not every 128th acquire, which would never
     * watch the second of two buffers a handler always acquires together.
     */
    private int sample = ThreadLocalRandom.current().nextInt() | 1;

    ThreadCache(Thread owner) {
        this.owner = new WeakReference<>(owner);
    }

    static int batch(int sizeClass) {
        return Math.max(1, Math.min(MAX_BATCH, BATCH_BYTES / SizeClasses.size(sizeClass)));
    }

    /** Whether the next acquisition is watched, when sampling. */
    boolean sample() {
        int x = sample;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        sample = x;
        return (x & SAMPLE_MASK) == 0;
    }

    ByteBuffer acquire(BufferPool pool, int sizeClass) {
        int size = SizeClasses.size(sizeClass);
        int tier = sizeClass <= SizeClasses.LAST_SMALL ? 0 : 1;
        acquired++;
        ByteBuffer[] stack = stacks[sizeClass];
        int n = counts[sizeClass];
        if (n == 0) {
            if (stack == null) {
                stack = stacks[sizeClass] = new ByteBuffer[2 * batch(sizeClass)];
            }
            n = pool.depot(sizeClass).popInto(stack, batch(sizeClass));
            if (n == 0) {
                misses[tier]++;
                return pool.allocate(size);
            }
            long bytes = (long) n * size; // the depot's share of the bound moves here with them
            budget += bytes;
            held += bytes;
        }
        hits[tier]++;
        ByteBuffer buffer = stack[--n];
        stack[n] = null;
        counts[sizeClass] = n;
        held -= size;
        if (budget - held > 2 * RESERVE_CHUNK) {
            long extra = budget - held - RESERVE_CHUNK;
            budget -= extra;
            pool.unreserve(extra);
        }
        return buffer;
    }

    void release(BufferPool pool, ByteBuffer buffer, int sizeClass) {
        int size = SizeClasses.size(sizeClass);
        released++;
        if (pool.isClosed()) {
            pool.free(buffer);
            pool.forget(this); // the owner lets go of what it kept, and of its cache
            return;
        }
        ByteBuffer[] stack = stacks[sizeClass];
        if (stack == null) {
            stack = stacks[sizeClass] = new ByteBuffer[2 * batch(sizeClass)];
        }
        int n = counts[sizeClass];
        if (n == stack.length) {
            n = flush(pool, sizeClass, stack, n, size);
            counts[sizeClass] = n;
        }
        if (held + size > budget) {
            long want = Math.max(size, RESERVE_CHUNK);
            if (pool.reserve(want)) {
                budget += want;
            } else if (pool.reserve(size)) {
                budget += size;
            } else {
                pool.free(buffer); // the bound is reached: back to the JVM
                return;
            }
        }
        stack[n] = buffer;
        counts[sizeClass] = n + 1;
        held += size;
    }

    /** Gives the older half of a full stack to the depot; returns the count left. */
    private int flush(BufferPool pool, int sizeClass, ByteBuffer[] stack, int n, int size) {
        int half = n >>> 1;
        long bytes = (long) half * size; // their share of the bound goes with them
        // Before the push, whose volatile write of the depot's count publishes it: stats(), which
        // reads the depots before the caches, never counts a batch in both.
        budget -= bytes;
        held -= bytes;
        if (!pool.depot(sizeClass).pushAll(stack, 0, half)) { // the pool closed meanwhile
            for (int i = 0; i < half; i++) {
                pool.free(stack[i]);
            }
            pool.unreserve(bytes);
        }
        System.arraycopy(stack, half, stack, 0, n - half);
        Arrays.fill(stack, n - half, n, null);
        return n - half;
    }

    /**
     * Gives every buffer to the depots, or to the collector if the pool is closed, and the unused
     * reservation back: the owner ended, or the owner itself is letting go. Not to be called
     * while the owner may use the cache.
     */
    void drainTo(BufferPool pool) {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int n = counts[c];
            if (n == 0) {
                continue;
            }
            long bytes = (long) n * SizeClasses.size(c);
            if (pool.isClosed() || !pool.depot(c).pushAll(stacks[c], 0, n)) {
                for (int i = 0; i < n; i++) {
                    pool.free(stacks[c][i]);
                }
                pool.unreserve(bytes);
            }
            budget -= bytes; // kept by the depot's buffers, or given back just above
            held -= bytes;
            Arrays.fill(stacks[c], 0, n, null);
            counts[c] = 0;
        }
        pool.unreserve(budget); // what no buffer used
        budget = 0;
        held = 0;
    }
}
