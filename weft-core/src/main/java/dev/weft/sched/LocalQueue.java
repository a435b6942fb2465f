package dev.weft.sched;

import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's bounded run queue: a ring buffer that its owner pushes to and pops from (FIFO), and
 * that other workers steal half of at a time. After Tokio's local queue.
 *
 * <h2>Layout</h2>
 * {@code tail} is written by the owner only. {@code head} packs two 32-bit counters: {@code real},
 * the next entry to pop, and {@code steal}, the first entry a thief is still copying. When no
 * steal is in progress they are equal. Counters wrap; differences are taken in int arithmetic.
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li>push (owner): write the slot, then publish it with a release store of {@code tail}. The
 *       queue is full when {@code tail - steal == capacity}: slots a thief is copying are never
 *       overwritten. When full, half of the queue and the new task move to the inject queue in one
 *       batch (the caller is told to do so), unless a thief is at work, in which case only the
 *       new task goes there.</li>
 *   <li>pop (owner): CAS {@code real} forward (and {@code steal} with it if no steal is in
 *       progress).</li>
 *   <li>steal (thief): phase 1 claims half of the entries with one CAS that moves {@code real}
 *       but not {@code steal}; phase 2 copies them into the thief's own queue; phase 3 CASes
 *       {@code steal} up to {@code real}. One steal at a time: a thief that finds a steal in
 *       progress gives up on this victim.</li>
 * </ul>
 *
 * <h2>Memory ordering</h2>
 * <ul>
 *   <li>The owner's plain slot write is published by its release store of {@code tail}; a thief
 *       reads {@code tail} with acquire before reading slots.</li>
 *   <li>A thief's plain writes into its own buffer are published by its own release store of
 *       its {@code tail}.</li>
 *   <li>A thief clears the victim's slots it copied before its phase-3 CAS (release); the owner
 *       reads {@code head} with acquire before reusing those slots, so the clear never lands on
 *       a new entry. Clearing keeps ended tasks from being retained by old slots.</li>
 * </ul>
 */
final class LocalQueue extends LocalQueuePadBefore {

    /** Tokio's capacity: large enough to absorb bursts, small enough to steal from quickly. */
    static final int DEFAULT_CAPACITY = 256;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(LocalQueue.class, "head", long.class);
            TAIL = lookup.findVarHandle(LocalQueue.class, "tail", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Task<?>[] buffer;
    private final int capacity;
    private final int mask;

    /** {@code (steal << 32) | real}; see the class comment. */
    private volatile long head;
    /** The next slot to push to; written by the owner only, with release. */
    private volatile int tail;

    LocalQueue() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A queue of {@code capacity} slots, a power of two; tests use small ones to reach overflow.
     */
    LocalQueue(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException(
                    "local queue capacity must be a power of two >= 2, was " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.buffer = new Task<?>[capacity];
    }

    private static long pack(int steal, int real) {
        return ((long) steal << 32) | (real & 0xFFFF_FFFFL);
    }

    private static int stealOf(long head) {
        return (int) (head >>> 32);
    }

    private static int realOf(long head) {
        return (int) head;
    }

    int capacity() {
        return capacity;
    }

    // ---------------------------------------------------------------- accessors, by memory mode

    /** Both counters: pairs with the CASes of the owner's pops and the thieves' claims. */
    private long headAcquire() {
        return (long) HEAD.getAcquire(this);
    }

    private boolean casHead(long expected, long next) {
        return HEAD.compareAndSet(this, expected, next);
    }

    private long compareAndExchangeHead(long expected, long next) {
        return (long) HEAD.compareAndExchange(this, expected, next);
    }

    /** The owner publishes the slots it wrote: pairs with {@link #tailAcquire()}. */
    private void setTailRelease(int t) {
        TAIL.setRelease(this, t);
    }

    /** A thief's read of the slots published: pairs with {@link #setTailRelease}. */
    private int tailAcquire() {
        return (int) TAIL.getAcquire(this);
    }

    // ---------------------------------------------------------------- owner

    /**
     * Pushes a task at the back. Owner only.
     *
     * @param task the task
     * @return null if the task was queued; otherwise the first of a chain (through
     *         {@link Task#nextScheduled()}) of tasks the caller must move to the inject queue: half
     *         of this full queue followed by {@code task}, or {@code task} alone when a thief is
     *         at work
     */
    Task<?> push(Task<?> task) {
        while (true) {
            long h = headAcquire();
            int steal = stealOf(h);
            int t = tail; // owner's own field
            if (t - steal < capacity) {
                buffer[t & mask] = task;
                setTailRelease(t + 1);
                return null;
            }
            if (steal != realOf(h)) {
                // Full, and a thief is copying: it will make room; do not wait for it.
                task.setNextScheduled(null);
                return task;
            }
            Task<?> overflow = takeHalfForOverflow(h, task);
            if (overflow != null) {
                return overflow;
            }
            // A thief claimed entries meanwhile: there is room now.
        }
    }

    /** Claims the older half of a full queue and chains it, then {@code task}. */
    private Task<?> takeHalfForOverflow(long h, Task<?> task) {
        int real = realOf(h);
        int n = capacity / 2;
        if (!casHead(h, pack(real + n, real + n))) {
            return null;
        }
        Task<?> first = buffer[real & mask];
        Task<?> last = first;
        buffer[real & mask] = null;
        for (int i = 1; i < n; i++) {
            Task<?> next = buffer[(real + i) & mask];
            buffer[(real + i) & mask] = null;
            last.setNextScheduled(next);
            last = next;
        }
        last.setNextScheduled(task);
        task.setNextScheduled(null);
        return first;
    }

    /**
     * Pops the oldest task. Owner only.
     *
     * @return the task, or null if empty
     */
    Task<?> pop() {
        long h = headAcquire();
        while (true) {
            int steal = stealOf(h);
            int real = realOf(h);
            if (real == tail) {
                return null;
            }
            int nextReal = real + 1;
            long next = steal == real ? pack(nextReal, nextReal) : pack(steal, nextReal);
            long witness = compareAndExchangeHead(h, next);
            if (witness == h) {
                // The slot at real is ours alone now: thieves copy only [steal, real).
                Task<?> task = buffer[real & mask];
                buffer[real & mask] = null;
                return task;
            }
            h = witness;
        }
    }

    /**
     * Returns the oldest task without taking it: a hint for the owner, since a thief may take it
     * at any moment (and may already have cleared its slot, hence null).
     *
     * @return the task at the front, or null if empty or just stolen
     */
    Task<?> peek() {
        int real = realOf(headAcquire());
        return real == tail ? null : buffer[real & mask];
    }

    // ---------------------------------------------------------------- thieves

    /**
     * Steals half of this queue's tasks into {@code dst}, the thief's own queue, and returns one
     * of them to run at once. Any thread but this queue's owner; {@code dst}'s owner.
     *
     * @param dst the thief's queue; must be at most half full
     * @return a task to run, or null if nothing was stolen
     */
    Task<?> stealInto(LocalQueue dst) {
        int dstTail = dst.tail;
        int dstSteal = stealOf(dst.headAcquire());
        if (dstTail - dstSteal > dst.capacity / 2) {
            return null; // no room for half of a queue: the thief has work of its own anyway
        }
        int n = claimAndCopy(dst, dstTail, dst.capacity - (dstTail - dstSteal));
        if (n == 0) {
            return null;
        }
        // Keep the last task copied to run now; publish the others in dst.
        int lastSlot = (dstTail + n - 1) & dst.mask;
        Task<?> task = dst.buffer[lastSlot];
        dst.buffer[lastSlot] = null;
        if (n > 1) {
            dst.setTailRelease(dstTail + n - 1);
        }
        return task;
    }

    /**
     * Phases 1 to 3 of a steal; returns how many tasks (at most room) were copied to dst from
     * dstTail on.
     */
    private int claimAndCopy(LocalQueue dst, int dstTail, int room) {
        long h = headAcquire();
        long claimed;
        int n;
        while (true) {
            int steal = stealOf(h);
            int real = realOf(h);
            if (steal != real) {
                return 0; // another thief is at work
            }
            int t = tailAcquire();
            n = t - real;
            n -= n / 2; // half, rounding up, so a single task can be stolen
            n = Math.min(n, room);
            if (n <= 0) {
                return 0;
            }
            claimed = pack(steal, real + n);
            long witness = compareAndExchangeHead(h, claimed);
            if (witness == h) {
                break;
            }
            h = witness;
        }
        int first = stealOf(claimed);
        for (int i = 0; i < n; i++) {
            int from = (first + i) & mask;
            dst.buffer[(dstTail + i) & dst.mask] = buffer[from];
            buffer[from] = null;
        }
        // Phase 3: the copy is done; let steal catch up with real (which the owner may have moved).
        h = claimed;
        while (true) {
            int real = realOf(h);
            long witness = compareAndExchangeHead(h, pack(real, real));
            if (witness == h) {
                return n;
            }
            h = witness;
        }
    }

    // ---------------------------------------------------------------- observation

    /**
     * Tasks in the queue: exact for the owner, a racy estimate for others.
     *
     * @return the number of tasks
     */
    int size() {
        long h = headAcquire();
        return Math.max(0, tailAcquire() - realOf(h));
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Free slots, for the owner: slots a thief is still copying from are not free yet. Thieves
     * only ever add room, so the answer stays a lower bound until the owner pushes.
     *
     * @return how many tasks can be pushed without overflow
     */
    int room() {
        return capacity - (tail - stealOf(headAcquire()));
    }
}

/**
 * Padding before a queue's indices. A worker's queue is allocated right after the worker, whose
 * own counters its thread writes on every spawn and tick; without the padding, each thief's CAS
 * on {@code head} would take that cache line away from the owner.
 */
@SuppressWarnings("unused")
abstract class LocalQueuePadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}
