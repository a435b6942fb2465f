package dev.weft.sched;

import dev.weft.concurrent.SpinLock;
import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The global injection queue of a multi-thread runtime: tasks spawned or woken from outside the
 * workers, tasks with a deadline, and the overflow of full local queues. Guarded by a
 * {@link SpinLock} (as Tokio guards its inject queue with a mutex): pushes and pops are short, and
 * batches move many tasks per acquisition. Not a monitor: on the path of every spawn from outside,
 * its exit would cost a second atomic.
 *
 * <h2>Lanes</h2>
 * Without priority scheduling, one FIFO lane, intrusive through {@link Task#nextScheduled()}.
 * With it, one lane per {@link Rank}: an intrusive FIFO for each priority's tasks without a
 * deadline, a {@link DeadlineQueue} for those with one. A take takes from the lowest non-empty
 * rank. Every task with a deadline waits here, not in a worker's queue, so deadlines are ordered
 * across the whole runtime, at the cost of this lock per such task.
 *
 * <h2>What is published</h2>
 * {@code size}, and with priority scheduling {@code ranks} (the bitmap of non-empty lanes) and
 * {@code oldestStamp} (the stamp of the longest-waiting task of any lane), are written under the
 * lock with release stores (a volatile write would cost a full fence per push), so that workers
 * can see what there is to take without locking. {@code ranks} and {@code oldestStamp}, read by
 * every pick, live on a padded cache line of their own ({@link InjectQueueHints}) and are written
 * only when they change; the order of these stores is explained at {@code afterTakeLocked}.
 *
 * <h2>Waking a worker</h2>
 * Only a push onto an empty queue must see that a worker comes for it (as ForkJoinPool signals
 * only then): it calls {@link MultiThreadRuntime#wakeOneIfNeeded()}, whose full fence after the
 * store of {@code size} is the producer's half of Dekker's pattern with a parking worker, who
 * fences, then reads {@code size}. A push onto a non-empty queue needs neither: the push that
 * made it non-empty did that, and while tasks remain, a parking worker's read finds them. A
 * worker that takes a batch from here wakes a helper for what it took (see Worker).
 */
final class InjectQueue extends InjectQueuePadAfterHints implements Aging.OldestTasks {

    private static final VarHandle LOCK;
    private static final VarHandle SIZE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOCK = lookup.findVarHandle(InjectQueue.class, "lock", int.class);
            SIZE = lookup.findVarHandle(InjectQueue.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * {@link #pushSpawned} result: the queue is closed to spawns; nothing was pushed or counted.
     */
    static final int CLOSED = -1;
    /** {@link #pushSpawned} result: pushed behind other tasks. */
    static final int PUSHED = 0;
    /**
     * {@link #pushSpawned} result: pushed onto an empty queue; the caller must see that a worker
     * comes.
     */
    static final int PUSHED_ONTO_EMPTY = 1;

    private final boolean byPriority;
    // Guarded by the lock: per lane, a FIFO (head and tail) or, for deadline lanes, a
    // DeadlineQueue.
    private final Task<?>[] heads;
    private final Task<?>[] tails;
    private final DeadlineQueue[] deadlines;
    private final int[] laneSizes;

    /** 0 free, 1 held; see {@link SpinLock}. */
    @SuppressWarnings("unused") // accessed through LOCK
    private volatile int lock;
    /** Written under the lock, with release; read without it as a hint. */
    private volatile int size;
    /** Guarded by the lock: set once a shutdown refuses spawns; see {@link #pushSpawned}. */
    private boolean closedToSpawns;

    /**
     * Creates the queue.
     *
     * @param byPriority one lane per rank if true; a single FIFO lane if false
     */
    InjectQueue(boolean byPriority) {
        this.byPriority = byPriority;
        int lanes = byPriority ? Rank.COUNT : 1;
        this.heads = new Task<?>[lanes];
        this.tails = new Task<?>[lanes];
        this.deadlines = new DeadlineQueue[lanes];
        this.laneSizes = new int[lanes];
        if (byPriority) {
            for (int rank = 0; rank < lanes; rank += 2) {
                deadlines[rank] = new DeadlineQueue();
            }
        }
    }

    private int laneOf(Task<?> task) {
        return byPriority ? Rank.of(task) : 0;
    }

    // ---------------------------------------------------------------- accessors

    private void lock() {
        SpinLock.lock(LOCK, this);
    }

    private void unlock() {
        SpinLock.unlock(LOCK, this);
    }

    /** Publishes the size, under the lock: pairs with the volatile reads of {@link #size()}. */
    private void setSizeRelease(int n) {
        SIZE.setRelease(this, n);
    }

    // ---------------------------------------------------------------- pushing

    /**
     * Appends one task. With priority scheduling, the caller has stamped it.
     *
     * @param task a task in no other queue
     * @return true if the queue was empty: the caller must see that a worker comes for it
     */
    boolean push(Task<?> task) {
        task.setNextScheduled(null);
        int lane = laneOf(task);
        lock();
        try {
            return appendLocked(lane, task, task, 1);
        } finally {
            unlock();
        }
    }

    /**
     * Appends a newly spawned task and counts it, in one critical section, unless the queue was
     * closed to spawns. A shutdown closes it (under the same lock) after refusing spawns, then
     * reads the counts: so every spawn this accepts is counted where the shutdown sees it, and
     * is in the queue before the shutdown can empty it. No fence or atomic count is needed for
     * that, only the lock.
     *
     * @param task   a new task, stamped if with priority scheduling
     * @param counts the counts of spawns into this queue, written under its lock only
     * @return {@link #CLOSED}, {@link #PUSHED} or {@link #PUSHED_ONTO_EMPTY}
     */
    int pushSpawned(Task<?> task, TaskCounts counts) {
        task.setNextScheduled(null);
        int lane = laneOf(task);
        lock();
        try {
            if (closedToSpawns) {
                return CLOSED;
            }
            counts.spawned();
            return appendLocked(lane, task, task, 1) ? PUSHED_ONTO_EMPTY : PUSHED;
        } finally {
            unlock();
        }
    }

    /** Refuses every later {@link #pushSpawned}; other pushes (wakes, overflow) go on. */
    void closeToSpawns() {
        lock();
        closedToSpawns = true;
        unlock();
    }

    /**
     * Appends a chain of tasks linked through {@link Task#nextScheduled()}, ending with a null
     * link: the overflow of one local queue, so all of one lane, with no deadline, and stamped.
     *
     * @param first the first task of the chain
     */
    void pushChain(Task<?> first) {
        int n = 1;
        Task<?> last = first;
        for (Task<?> t = first.nextScheduled(); t != null; t = t.nextScheduled()) {
            last = t;
            n++;
        }
        int lane = laneOf(first);
        lock();
        try {
            appendLocked(lane, first, last, n);
        } finally {
            unlock();
        }
    }

    /**
     * Appends the chain first..last of n tasks to a lane; returns whether the queue was empty. Lock
     * held.
     */
    private boolean appendLocked(int lane, Task<?> first, Task<?> last, int n) {
        boolean wasEmpty = size == 0;
        DeadlineQueue deadlineLane = deadlines[lane];
        if (deadlineLane != null) {
            // A deadline task comes alone: overflow chains come from local queues, which hold none.
            deadlineLane.add(first, Rank.deadlineOf(first), first.queuedAt());
        } else if (tails[lane] == null) {
            heads[lane] = first;
            tails[lane] = last;
        } else {
            tails[lane].setNextScheduled(first);
            tails[lane] = last;
        }
        laneSizes[lane] += n;
        // The oldest stamp before the size, and the size before the bitmap: a reader that sees
        // a task counted (acquire) then sees its stamp accounted for; see afterTakeLocked.
        // The chain's first task is its oldest. NO_STAMP stands for "empty", not for a stamp to
        // compare with: clock readings only mean something as differences.
        if (byPriority && (wasEmpty || Aging.isOlder(first.queuedAt(), oldestStamp))) {
            setOldestStampRelease(first.queuedAt());
        }
        setSizeRelease(size + n);
        if (byPriority && (ranks & (1 << lane)) == 0) {
            setRanksRelease(ranks | (1 << lane));
        }
        return wasEmpty;
    }

    // ---------------------------------------------------------------- taking

    /**
     * Takes the task that comes first: the oldest, or with priority scheduling, the first of the
     * lowest non-empty rank.
     *
     * @return the task, or null if empty
     */
    Task<?> pop() {
        if (size == 0) {
            return null;
        }
        lock();
        try {
            return size == 0 ? null : takeLocked(byPriority ? Rank.best(ranks) : 0, false);
        } finally {
            unlock();
        }
    }

    /**
     * Takes the task that has waited longest outside the lane of {@code bestRank}, if it is
     * starved by {@code now}; priority scheduling only.
     *
     * @param now      a recent reading of the runtime's clock
     * @param aging    the starvation policy
     * @param bestRank the most urgent rank the caller sees, whose tasks are not starved
     * @return that task, or null if none is starved
     */
    Task<?> popStarved(long now, Aging aging, int bestRank) {
        if (size == 0 || !aging.isStarved(oldestStampVolatile(), now)) {
            return null;
        }
        lock();
        try {
            int lane = Aging.oldestRank(ranks & ~(1 << bestRank), this);
            if (lane == Aging.NO_RANK || !aging.isStarved(oldestOf(lane).queuedAt(), now)) {
                return null;
            }
            return takeLocked(lane, true);
        } finally {
            unlock();
        }
    }

    /**
     * Takes a fair share of the lane that comes first, no more than the caller's queue has room
     * for: the first is returned to run, the others are pushed to the caller's own queue for
     * their priority. The caller is the owner of the queues.
     *
     * <p>The share: without priority scheduling, {@code size / workers + 1}; with it, the lane's
     * size divided by the workers, rounded up, so that a few urgent tasks are spread over the
     * workers rather than all taken by one, where only a busy or descheduled worker would see
     * them. A deadline lane gives one task.
     *
     * @param dsts    the worker's local queues: one per priority level, or a single one without
     *                priority scheduling
     * @param workers the number of workers sharing the queue
     * @return the first task taken, or null if empty
     */
    Task<?> popInto(LocalQueue[] dsts, int workers) {
        if (size == 0) {
            return null;
        }
        Task<?> first;
        LocalQueue dst;
        lock();
        try {
            if (size == 0) {
                return null;
            }
            int lane = byPriority ? Rank.best(ranks) : 0;
            if (deadlines[lane] != null) {
                return takeLocked(lane, false);
            }
            dst = dsts[byPriority ? Rank.level(lane) : 0];
            int share = byPriority ? (laneSizes[lane] + workers - 1) / workers : size / workers + 1;
            // No more than half a local queue, nor more than it has room for (a thief may still
            // be copying out of it): the one returned runs at once, so room + 1.
            first = takeFifoLocked(lane,
                    Math.min(share, Math.min(dst.capacity() / 2, dst.room() + 1)));
        } finally {
            unlock();
        }
        Task<?> rest = first.nextScheduled();
        first.setNextScheduled(null);
        while (rest != null) {
            Task<?> next = rest.nextScheduled();
            rest.setNextScheduled(null);
            Task<?> overflow = dst.push(rest);
            if (overflow != null) {
                throw new IllegalStateException(
                        "popInto given more tasks than the local queue has room for");
            }
            rest = next;
        }
        return first;
    }

    /**
     * Takes one task of a lane; from a deadline lane, the earliest, or the oldest if starved. Lock
     * held, lane non-empty.
     */
    private Task<?> takeLocked(int lane, boolean oldest) {
        DeadlineQueue deadlineLane = deadlines[lane];
        Task<?> task;
        if (deadlineLane == null) {
            task = takeFifoLocked(lane, 1);
            task.setNextScheduled(null);
            return task;
        }
        task = oldest ? deadlineLane.pollOldest() : deadlineLane.poll();
        laneSizes[lane]--;
        setSizeRelease(size - 1);
        afterTakeLocked(lane, deadlineLane.isEmpty());
        return task;
    }

    /**
     * Unlinks up to max tasks from the front of a FIFO lane; returns the first, linked to the rest.
     * Lock held, lane non-empty.
     */
    private Task<?> takeFifoLocked(int lane, int max) {
        Task<?> first = heads[lane];
        int n;
        Task<?> last;
        if (laneSizes[lane] <= max) {
            // All of it: no walk under the lock, where each link followed is a cache miss on a
            // task the producing core just wrote, and the producer waits.
            n = laneSizes[lane];
            last = tails[lane];
        } else {
            n = 1;
            last = first;
            while (n < max) {
                last = last.nextScheduled();
                n++;
            }
        }
        heads[lane] = last.nextScheduled();
        if (heads[lane] == null) {
            tails[lane] = null;
        }
        last.setNextScheduled(null);
        laneSizes[lane] -= n;
        setSizeRelease(size - n);
        afterTakeLocked(lane, heads[lane] == null);
        return first;
    }

    /**
     * Publishes the bitmap and the oldest stamp after a take, after the caller published the
     * size. The oldest stamp thus leads the size on a push and trails it on a take, so a reader
     * that saw the size can only find it older than the truth: that sends it to the lock to check
     * (popStarved), never past a starved task, and an early "nothing starved" answer is always
     * one the queue gave at the moment of that read. The bitmap is a hint for the workers' picks,
     * which take the lock to act on it. Lock held.
     */
    private void afterTakeLocked(int lane, boolean laneEmptied) {
        if (!byPriority) {
            return;
        }
        if (laneEmptied) {
            setRanksRelease(ranks & ~(1 << lane));
        }
        int oldest = Aging.oldestRank(ranks, this);
        long stamp = oldest == Aging.NO_RANK ? NO_STAMP : oldestOf(oldest).queuedAt();
        if (stamp != oldestStamp) {
            setOldestStampRelease(stamp);
        }
    }

    /**
     * The oldest task of a lane: a FIFO's head, a deadline lane's first arrival. Lock held.
     *
     * @param lane a lane (a rank)
     * @return the task, or null if the lane is empty
     */
    @Override
    public Task<?> oldestOf(int lane) {
        return deadlines[lane] != null ? deadlines[lane].peekOldest() : heads[lane];
    }

    // ---------------------------------------------------------------- observation

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * The non-empty ranks, read without the lock (a volatile read); priority scheduling only.
     *
     * @return a bitmap of ranks, as of the last change
     */
    int ranksVolatile() {
        return ranks;
    }

    /**
     * The stamp of the longest-waiting task, read without the lock (a volatile read); priority
     * scheduling only.
     *
     * @return the stamp, or {@link #NO_STAMP} if empty
     */
    long oldestStampVolatile() {
        return oldestStamp;
    }

    /**
     * Tasks queued at a priority level: a racy read, for metrics.
     *
     * @param level 0 (CRITICAL) to {@code Rank.LEVELS - 1}
     * @return the count, or -1 without priority scheduling
     */
    int size(int level) {
        return byPriority ? laneSizes[2 * level] + laneSizes[2 * level + 1] : -1;
    }
}

/**
 * Padding before the hints the workers read on every pick, so that the producers' writes of the
 * lock and the size, on every push, do not take their cache line away from the workers (JCTools'
 * idiom: a superclass's fields are laid out first).
 */
@SuppressWarnings("unused")
abstract class InjectQueuePadBeforeHints {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}

/**
 * The hints of a queue with priority scheduling, written under its lock with release stores and
 * only when they change, read by workers without the lock; see InjectQueue.
 */
abstract class InjectQueueHints extends InjectQueuePadBeforeHints {

    /** {@code oldestStamp} of an empty queue: a mark, not a stamp to compare with. */
    static final long NO_STAMP = Long.MAX_VALUE;

    private static final VarHandle RANKS;
    private static final VarHandle OLDEST_STAMP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RANKS = lookup.findVarHandle(InjectQueueHints.class, "ranks", int.class);
            OLDEST_STAMP = lookup.findVarHandle(InjectQueueHints.class, "oldestStamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bit r set while lane r holds a task. */
    volatile int ranks;
    /** The stamp of the longest-waiting task, or {@link #NO_STAMP} when empty. */
    volatile long oldestStamp = NO_STAMP;

    /** Publishes the bitmap, under the lock: pairs with the workers' volatile reads. */
    final void setRanksRelease(int bitmap) {
        RANKS.setRelease(this, bitmap);
    }

    /** Publishes the oldest stamp, under the lock: pairs with the workers' volatile reads. */
    final void setOldestStampRelease(long stamp) {
        OLDEST_STAMP.setRelease(this, stamp);
    }
}

/** Padding between the hints and the lock and size. */
@SuppressWarnings("unused")
abstract class InjectQueuePadAfterHints extends InjectQueueHints {
    long q00, q01, q02, q03, q04, q05, q06, q07;
}
