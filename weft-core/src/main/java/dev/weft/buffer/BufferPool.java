package dev.weft.buffer;

import dev.weft.AsyncCloseable;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.task.Scoped;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A pool of {@link ByteBuffer}s, direct (the default) or heap, so that I/O does not allocate a
 * buffer per read and direct memory is not allocated and freed at the collector's pace.
 *
 * <h2>Size classes</h2>
 * The seed's three classes: {@link SizeClass#SMALL} up to 1 KiB and {@link SizeClass#MEDIUM} up to
 * 64 KiB are pooled, each subdivided into finer classes (every 16 bytes up to 128, then four per
 * doubling: 160, 192, 224, 256, 320...), and a request gets the smallest that holds it, so a
 * buffer above 128 bytes wastes at most a fifth of itself (one below, at most 15 bytes).
 * {@link SizeClass#LARGE} buffers are allocated for each acquire and given back to the JVM on
 * release: a burst of large reads leaves nothing pinned.
 *
 * <h2>Levels</h2>
 * Each platform thread has a cache per pool: a small stack of free buffers per fine class, which
 * only it touches, so an acquire or a release it serves takes no lock and no atomic. A buffer is
 * released into the releasing thread's cache, whichever thread acquired it. An empty stack
 * refills a batch (up to 64 buffers, the seed's batch) from the class's shared level, a full one
 * gives its older half back, so the shared level's lock is taken once per batch. Virtual threads
 * have no cache (there may be millions) and use the shared level one buffer at a time. The cache
 * of a thread that ended is given back to the shared level the next time a thread first uses the
 * pool, or {@link #stats()} or {@link #trim} is called.
 *
 * <h2>Giving back</h2>
 * {@link #trim} frees the shared level's buffers that nothing needed for a whole interval; a
 * runtime's idle threads trim its own pool (see {@code AsyncRuntime.buffers()}).
 *
 * <h2>The bound</h2>
 * The free buffers the pool retains, in caches and the shared level together, never exceed
 * {@code maxRetainedBytes}: a release past it gives the buffer back to the JVM. Caches reserve
 * their share of the bound ahead, 64 KiB at a time, and give back what they do not use.
 *
 * <h2>Leaks</h2>
 * See {@link LeakDetection}; {@link LeakDetection#SAMPLED} is the default.
 *
 * <p>Every method may be called from any thread.
 */
public final class BufferPool implements AsyncCloseable {

    /** The seed's three size classes. */
    public enum SizeClass {
        /** Up to 1 KiB, pooled. */
        SMALL,
        /** Above 1 KiB, up to 64 KiB, pooled. */
        MEDIUM,
        /** Above 64 KiB: allocated per acquire, given back to the JVM on release. */
        LARGE
    }

    /** The fine class of a buffer above the largest pooled one. */
    static final int UNPOOLED = -1;

    private static final long DEFAULT_MAX_RETAINED = 64L * 1024 * 1024;
    private static final System.Logger LOGGER = System.getLogger(BufferPool.class.getName());
    private static final VarHandle RESERVED;
    private static final VarHandle ALLOCATED;
    private static final VarHandle PEAK;
    /** {@code Thread.isVirtual()}, on JDK 21 and later; null before. */
    private static final MethodHandle IS_VIRTUAL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RESERVED = lookup.findVarHandle(BufferPool.class, "reserved", long.class);
            ALLOCATED = lookup.findVarHandle(BufferPool.class, "allocated", long.class);
            PEAK = lookup.findVarHandle(BufferPool.class, "peak", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        MethodHandle isVirtual;
        try {
            isVirtual = MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException beforeJdk21) {
            isVirtual = null;
        }
        IS_VIRTUAL = isVirtual;
    }

    private final boolean direct;
    private final long maxRetainedBytes;
    private final LeakDetection leakDetection;
    private final Depot[] depots = new Depot[SizeClasses.COUNT];
    private final ThreadLocal<ThreadCache> local = new ThreadLocal<>();
    /** Every cache not yet given back; guarded by itself. */
    private final List<ThreadCache> caches = new ArrayList<>();
    /**
     * Bytes of the bound reserved: by caches, and by the buffers in the depots. Changed only by
     * CAS and atomic adds; it orders nothing else (each buffer moves under a depot's lock or
     * within one thread's cache), so volatile is for the count alone.
     */
    private volatile long reserved;
    /** Bytes of the buffers this pool allocated and has not given back to the JVM; atomic adds. */
    private volatile long allocated;
    /** The most {@link #allocated} has been; raised by CAS, for statistics only. */
    private volatile long peak;
    /**
     * Set once by {@link #close()}, before it closes the depots. A thread that reads it true lets
     * go of what it holds; one that reads it false just before may still push into a depot, which
     * its lock and closed flag then refuse: the depot's lock, not this flag, settles that race.
     */
    private volatile boolean closed;

    /** Counters of what no cache counts: virtual threads, large buffers, ended caches. */
    private final LongAdder[] sharedHits = {new LongAdder(), new LongAdder()};
    private final LongAdder[] sharedMisses = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder sharedAcquired = new LongAdder();
    private final LongAdder sharedReleased = new LongAdder();
    private final LongAdder leaked = new LongAdder();

    private final ReferenceQueue<PooledBuffer> leaks = new ReferenceQueue<>();
    private final Set<LeakWatch> watched = ConcurrentHashMap.newKeySet();

    private BufferPool(Builder builder) {
        this.direct = builder.direct;
        this.maxRetainedBytes = builder.maxRetainedBytes;
        this.leakDetection = builder.leakDetection;
        for (int c = 0; c < depots.length; c++) {
            depots[c] = new Depot();
        }
    }

    /**
     * A pool of direct buffers, retaining at most 64 MiB, with sampled leak detection.
     *
     * @return the pool
     */
    public static BufferPool create() {
        return builder().build();
    }

    /**
     * A builder of a pool.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Acquires a buffer of at least {@code capacity} bytes, reset (position 0, limit its
     * capacity, big-endian) but not zeroed.
     *
     * @param capacity the bytes needed, 1 or more
     * @return the buffer, to {@link PooledBuffer#release()} when done
     * @throws IllegalArgumentException if {@code capacity} is below 1
     * @throws IllegalStateException    if the pool is closed
     */
    public PooledBuffer acquire(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more, was " + capacity);
        }
        if (closed) {
            throw new IllegalStateException("the buffer pool is closed");
        }
        ByteBuffer buffer;
        int sizeClass;
        ThreadCache cache = null;
        if (capacity > SizeClasses.POOLED_MAX) {
            sizeClass = UNPOOLED;
            sharedAcquired.increment();
            sharedMisses[SizeClass.LARGE.ordinal()].increment();
            buffer = allocate(capacity);
        } else {
            sizeClass = SizeClasses.indexOf(capacity);
            cache = cache();
            buffer = cache != null ? cache.acquire(this, sizeClass) : acquireShared(sizeClass);
        }
        buffer.clear().order(ByteOrder.BIG_ENDIAN);
        PooledBuffer pooled = new PooledBuffer(this, buffer, sizeClass);
        if (leakDetection == LeakDetection.PARANOID || (leakDetection == LeakDetection.SAMPLED
                && (cache != null ? cache.sample()
                        : ThreadLocalRandom.current().nextInt(128) == 0))) {
            watch(pooled);
        }
        return pooled;
    }

    /**
     * Acquires a buffer when first polled, runs {@code body}'s future with it, and releases it
     * when that future completes, fails, or is dropped (its task aborted, a {@code select} it
     * lost, a timeout that expired): a buffer held across waits is never left unreleased by a
     * task that is gone. The body may release the buffer itself; it is then not released again.
     *
     * @param capacity the bytes needed, 1 or more
     * @param body     the work, given the buffer
     * @param <R>      the body's result
     * @return a future of the body's result
     * @throws IllegalArgumentException if {@code capacity} is below 1
     * @throws NullPointerException     if {@code body} is null
     */
    public <R> Future<R> withBuffer(int capacity,
            Function<? super PooledBuffer, ? extends Future<R>> body) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more, was " + capacity);
        }
        Objects.requireNonNull(body, "body");
        return new Scoped<PooledBuffer, R>(cx -> Poll.ready(acquire(capacity)), body,
                PooledBuffer::releaseIfHeld);
    }

    /**
     * Gives back to the JVM up to {@code maxBuffers} of the shared level's free buffers that no
     * acquire needed since the interval began (the largest classes first), and takes back the
     * caches of threads that ended. When it frees fewer than {@code maxBuffers}, none idle is
     * left and a new interval begins: so calls of {@code trim(n)} until one returns less than
     * {@code n} free what nothing needed since the last such call, and no buffer used meanwhile.
     * A pool that serves steady traffic keeps what it uses; one left idle empties its shared
     * level over two such rounds. A runtime's idle threads trim its own pool
     * ({@code AsyncRuntime.buffers()}) about once a second, in batches of its cleanup threshold;
     * trim a pool of your own when it suits you. What each thread's cache keeps (a few batches
     * per class) is not trimmed: it goes back when the thread ends.
     *
     * @param maxBuffers the most buffers to free, 1 or more: a bound on this call's work
     * @return the number freed
     * @throws IllegalArgumentException if {@code maxBuffers} is below 1
     */
    public int trim(int maxBuffers) {
        if (maxBuffers < 1) {
            throw new IllegalArgumentException("maxBuffers must be 1 or more, was " + maxBuffers);
        }
        synchronized (caches) {
            reclaimEndedCaches();
        }
        int freed = 0;
        for (int c = SizeClasses.COUNT - 1; c >= 0 && freed < maxBuffers; c--) {
            int candidates = Math.min(depots[c].size(), maxBuffers - freed);
            if (candidates == 0) {
                continue;
            }
            ByteBuffer[] taken = new ByteBuffer[candidates]; // at idle: allocating is fine here
            int n = depots[c].trimIdle(taken);
            for (int i = 0; i < n; i++) {
                unreserve(taken[i].capacity());
                free(taken[i]);
            }
            freed += n;
        }
        if (freed < maxBuffers) {
            // every depot gave all its idle buffers (one that gave fewer than asked had no more)
            for (Depot depot : depots) {
                depot.beginInterval();
            }
        }
        return freed;
    }

    /**
     * What the pool holds and has served so far. Counters of threads still running are read
     * without synchronization: a snapshot, exact once those threads are done with the pool.
     *
     * @return the statistics
     */
    public Stats stats() {
        reportLeaks();
        long[] hits = new long[2];
        long[] misses = new long[3];
        long acquired;
        long released;
        long retained = 0;
        synchronized (caches) {
            reclaimEndedCaches();
            // read after the reclaim, which moves ended caches' counts here: not before, or a
            // count would be missed by both
            acquired = sharedAcquired.sum();
            released = sharedReleased.sum();
            // the depots before the caches: a flush lowers its cache's count before the push
            // that raises the depot's (a volatile write), so no batch in flight counts twice
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                retained += (long) depots[c].size() * SizeClasses.size(c);
            }
            for (ThreadCache c : caches) {
                hits[0] += c.hits[0];
                hits[1] += c.hits[1];
                misses[0] += c.misses[0];
                misses[1] += c.misses[1];
                acquired += c.acquired;
                released += c.released;
                retained += c.held;
            }
            for (int i = 0; i < 2; i++) {
                hits[i] += sharedHits[i].sum();
            }
            for (int i = 0; i < 3; i++) {
                misses[i] += sharedMisses[i].sum();
            }
        }
        long lost = leaked.sum();
        return new Stats(allocated, peak, retained, acquired - released - lost, hits, misses,
                lost);
    }

    /**
     * Closes the pool: later acquires fail; the free buffers of the shared level and of the
     * calling thread's cache go back to the JVM now, other threads' cached ones when those
     * threads next release a buffer or end; buffers in use may still be released, and go back to
     * the JVM. Idempotent.
     */
    @Override
    public void close() {
        closed = true; // first: a cache or a release that sees it lets its buffers go
        for (Depot depot : depots) {
            for (ByteBuffer b : depot.close()) {
                unreserve(b.capacity());
                free(b);
            }
        }
        ThreadCache mine = local.get();
        if (mine != null) {
            forget(mine);
        }
        synchronized (caches) {
            reclaimEndedCaches();
        }
        reportLeaks();
    }

    /**
     * Closes the pool, as {@link #close()} does, at once.
     *
     * @return a future already complete
     */
    @Override
    public Future<Void> closeAsync() {
        close();
        return cx -> Poll.ready(null);
    }

    @Override
    public String toString() {
        return "BufferPool[" + (direct ? "direct" : "heap") + ", " + allocated + " bytes allocated"
                + (closed ? ", closed]" : "]");
    }

    // ---------------------------------------------------------------- for PooledBuffer

    void release(ByteBuffer buffer, int sizeClass) {
        if (sizeClass == UNPOOLED) {
            sharedReleased.increment();
            free(buffer);
            return;
        }
        // once closed, no cache is made: only an existing one lets go of what it kept
        ThreadCache cache = closed ? local.get() : cache();
        if (cache != null) {
            cache.release(this, buffer, sizeClass);
            return;
        }
        sharedReleased.increment();
        if (!closed && reserve(buffer.capacity())) {
            if (!depots[sizeClass].push(buffer)) { // closed meanwhile
                unreserve(buffer.capacity());
                free(buffer);
            }
        } else {
            free(buffer);
        }
    }

    /**
     * The owner of {@code cache} lets go of it (the pool is closed): its buffers go to the
     * collector, its counts to the shared ones, and the thread forgets it.
     */
    void forget(ThreadCache cache) {
        local.remove();
        synchronized (caches) {
            if (caches.remove(cache)) {
                retire(cache);
            }
        }
    }

    void unwatch(LeakWatch watch) {
        watched.remove(watch);
        watch.clear();
    }

    // ---------------------------------------------------------------- for ThreadCache

    boolean isClosed() {
        return closed;
    }

    Depot depot(int sizeClass) {
        return depots[sizeClass];
    }

    ByteBuffer allocate(int capacity) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(capacity)
                : ByteBuffer.allocate(capacity);
        long now = (long) ALLOCATED.getAndAdd(this, (long) capacity) + capacity;
        long p = peak;
        while (now > p && !PEAK.weakCompareAndSet(this, p, now)) {
            p = peak;
        }
        return buffer;
    }

    /** Drops a buffer: the collector frees it; the pool no longer counts it. */
    void free(ByteBuffer buffer) {
        ALLOCATED.getAndAdd(this, (long) -buffer.capacity());
    }

    /** Reserves {@code bytes} of the bound; false if that would pass it. */
    boolean reserve(long bytes) {
        long r = reserved;
        while (r + bytes <= maxRetainedBytes) {
            long witness = (long) RESERVED.compareAndExchange(this, r, r + bytes);
            if (witness == r) {
                return true;
            }
            r = witness;
        }
        return false;
    }

    void unreserve(long bytes) {
        RESERVED.getAndAdd(this, -bytes);
    }

    // ---------------------------------------------------------------- internals

    /** The calling thread's cache, made on its first use; null on a virtual thread. */
    private ThreadCache cache() {
        Thread thread = Thread.currentThread();
        if (isVirtual(thread)) {
            return null;
        }
        ThreadCache cache = local.get();
        if (cache == null) {
            cache = new ThreadCache(thread);
            local.set(cache);
            synchronized (caches) {
                reclaimEndedCaches();
                caches.add(cache);
            }
        }
        return cache;
    }

    private ByteBuffer acquireShared(int sizeClass) {
        int tier = sizeClass <= SizeClasses.LAST_SMALL ? 0 : 1;
        sharedAcquired.increment();
        ByteBuffer buffer = depots[sizeClass].pop();
        if (buffer == null) {
            sharedMisses[tier].increment();
            return allocate(SizeClasses.size(sizeClass));
        }
        sharedHits[tier].increment();
        unreserve(buffer.capacity());
        return buffer;
    }

    /** Gives back the caches of threads that ended; under the caches' lock. */
    private void reclaimEndedCaches() {
        for (Iterator<ThreadCache> it = caches.iterator(); it.hasNext(); ) {
            ThreadCache c = it.next();
            Thread owner = c.owner.get();
            if (owner == null || !owner.isAlive()) {
                it.remove();
                retire(c);
            }
        }
    }

    /**
     * Moves a cache's buffers to the depots (to the collector once closed) and its counts to the
     * shared ones; its owner ended, or is the caller. Under the caches' lock.
     */
    private void retire(ThreadCache c) {
        c.drainTo(this);
        for (int i = 0; i < 2; i++) {
            sharedHits[i].add(c.hits[i]);
            sharedMisses[i].add(c.misses[i]);
        }
        sharedAcquired.add(c.acquired);
        sharedReleased.add(c.released);
    }

    private void watch(PooledBuffer pooled) {
        reportLeaks();
        LeakWatch w = new LeakWatch(pooled, leaks, pooled.capacity());
        watched.add(w);
        pooled.watch = w;
    }

    /** Reports each watched buffer the collector found unreleased, once. */
    private void reportLeaks() {
        Reference<? extends PooledBuffer> ref;
        while ((ref = leaks.poll()) != null) {
            LeakWatch w = (LeakWatch) ref;
            if (!watched.remove(w)) {
                continue; // released after all
            }
            leaked.increment();
            ALLOCATED.getAndAdd(this, (long) -w.capacity);
            LOGGER.log(System.Logger.Level.WARNING, "a pooled buffer of " + w.capacity
                    + " bytes was garbage-collected without release() (the pool no longer counts "
                    + "it); release every buffer you acquire, or use withBuffer", w.acquiredAt);
        }
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** Builds a {@link BufferPool}. */
    public static final class Builder {
        private boolean direct = true;
        private long maxRetainedBytes = DEFAULT_MAX_RETAINED;
        private LeakDetection leakDetection = LeakDetection.SAMPLED;

        private Builder() {
        }

        /**
         * Direct buffers (the default), or heap buffers.
         *
         * @param on true for direct buffers
         * @return this builder
         */
        public Builder direct(boolean on) {
            this.direct = on;
            return this;
        }

        /**
         * The most bytes of free buffers the pool keeps (64 MiB by default); 0 keeps none.
         *
         * @param bytes 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder maxRetainedBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxRetainedBytes must be 0 or more, was "
                        + bytes);
            }
            this.maxRetainedBytes = bytes;
            return this;
        }

        /**
         * How leaks are watched for ({@link LeakDetection#SAMPLED} by default).
         *
         * @param mode the mode, not null
         * @return this builder
         * @throws NullPointerException if {@code mode} is null
         */
        public Builder leakDetection(LeakDetection mode) {
            this.leakDetection = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Builds the pool.
         *
         * @return the pool
         */
        public BufferPool build() {
            return new BufferPool(this);
        }
    }

    /** What a pool holds and has served: see {@link BufferPool#stats()}. */
    public static final class Stats {
        private final long allocatedBytes;
        private final long peakBytes;
        private final long retainedBytes;
        private final long inUse;
        private final long[] hits;
        private final long[] misses;
        private final long leaked;

        Stats(long allocatedBytes, long peakBytes, long retainedBytes, long inUse, long[] hits,
                long[] misses, long leaked) {
            this.allocatedBytes = allocatedBytes;
            this.peakBytes = peakBytes;
            this.retainedBytes = retainedBytes;
            this.inUse = inUse;
            this.hits = hits;
            this.misses = misses;
            this.leaked = leaked;
        }

        /**
         * Bytes of the buffers the pool allocated and still counts: in use or retained.
         *
         * @return the bytes
         */
        public long allocatedBytes() {
            return allocatedBytes;
        }

        /**
         * The most {@link #allocatedBytes()} has been.
         *
         * @return the bytes
         */
        public long peakBytes() {
            return peakBytes;
        }

        /**
         * Bytes of the free buffers the pool keeps for reuse, at most its
         * {@code maxRetainedBytes}.
         *
         * @return the bytes
         */
        public long retainedBytes() {
            return retainedBytes;
        }

        /**
         * Buffers acquired and not yet released (leaks found are not counted).
         *
         * @return the count
         */
        public long inUse() {
            return inUse;
        }

        /**
         * Acquisitions of a class served with a buffer the pool kept.
         *
         * @param sizeClass the class, not null
         * @return the count (always 0 for {@link SizeClass#LARGE})
         */
        public long hits(SizeClass sizeClass) {
            Objects.requireNonNull(sizeClass, "sizeClass");
            return sizeClass == SizeClass.LARGE ? 0 : hits[sizeClass.ordinal()];
        }

        /**
         * Acquisitions of a class that allocated a new buffer.
         *
         * @param sizeClass the class, not null
         * @return the count
         */
        public long misses(SizeClass sizeClass) {
            return misses[Objects.requireNonNull(sizeClass, "sizeClass").ordinal()];
        }

        /**
         * Watched buffers found garbage-collected without release.
         *
         * @return the count
         */
        public long leaked() {
            return leaked;
        }

        @Override
        public String toString() {
            return "BufferPool.Stats[allocated " + allocatedBytes + " B, peak " + peakBytes
                    + " B, retained " + retainedBytes + " B, in use " + inUse + ", hits "
                    + hits[0] + "/" + hits[1] + ", misses " + misses[0] + "/" + misses[1] + "/"
                    + misses[2] + " (small/medium/large), leaked " + leaked + "]";
        }
    }
}
