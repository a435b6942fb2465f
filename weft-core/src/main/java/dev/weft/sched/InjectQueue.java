package dev.weft.sched;

import dev.weft.sync.SpinLock;
import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The global injection queue of a multi-thread runtime: tasks spawned or woken from outside the
 * workers, and the overflow of full local queues. FIFO, intrusive through
 * {@link Task#nextScheduled()}, guarded by a {@link SpinLock} (as Tokio guards its inject queue
 * with a mutex): pushes and pops are short, and batches move many tasks per acquisition. Not a
 * monitor: on the path of every spawn from outside, its exit would cost a second atomic.
 *
 * <p>{@code size} is also written under the lock, with release stores (a volatile write would
 * cost a full fence per push), so that workers can see whether there is anything to take without
 * locking.
 *
 * <h2>Waking a worker</h2>
 * Only a push onto an empty queue must see that a worker comes for it (as ForkJoinPool signals
 * only then): it calls {@link MultiThreadRuntime#wakeOneIfNeeded()}, whose full fence after the
 * store of {@code size} is the producer's half of Dekker's pattern with a parking worker, who
 * fences, then reads {@code size}. A push onto a non-empty queue needs neither: the push that
 * made it non-empty did that, and while tasks remain, a parking worker's read finds them. A
 * worker that takes a batch from here wakes a helper for what it took (see Worker).
 */
final class InjectQueue {

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

    /** 0 free, 1 held; see {@link SpinLock}. */
    private volatile int lock;
    // Guarded by the lock.
    private Task<?> head;
    private Task<?> tail;
    /** Written under the lock, with release; read without it as a hint. */
    private volatile int size;
    /** Guarded by the lock: set once a shutdown refuses spawns; see {@link #pushSpawned}. */
    private boolean closedToSpawns;

    /** {@link #pushSpawned} result: the queue is closed to spawns; nothing was pushed or counted. */
    static final int CLOSED = -1;
    /** {@link #pushSpawned} result: pushed behind other tasks. */
    static final int PUSHED = 0;
    /** {@link #pushSpawned} result: pushed onto an empty queue; the caller must see that a worker comes. */
    static final int PUSHED_ONTO_EMPTY = 1;

    /**
     * Appends one task.
     *
     * @param task a task in no other queue
     * @return true if the queue was empty: the caller must see that a worker comes for it
     */
    boolean push(Task<?> task) {
        task.setNextScheduled(null);
        SpinLock.lock(LOCK, this);
        try {
            return appendLocked(task, task, 1);
        } finally {
            SpinLock.unlock(LOCK, this);
        }
    }

    /**
     * Appends a newly spawned task and counts it, in one critical section, unless the queue was
     * closed to spawns. A shutdown closes it (under the same lock) after refusing spawns, then
     * reads the counts: so every spawn this accepts is counted where the shutdown sees it, and
     * is in the queue before the shutdown can empty it. No fence or atomic count is needed for
     * that, only the lock.
     *
     * @param task   a new task
     * @param counts the counts of spawns into this queue, written under its lock only
     * @return {@link #CLOSED}, {@link #PUSHED} or {@link #PUSHED_ONTO_EMPTY}
     */
    int pushSpawned(Task<?> task, TaskCounts counts) {
        task.setNextScheduled(null);
        SpinLock.lock(LOCK, this);
        try {
            if (closedToSpawns) {
                return CLOSED;
            }
            counts.spawned();
            return appendLocked(task, task, 1) ? PUSHED_ONTO_EMPTY : PUSHED;
        } finally {
            SpinLock.unlock(LOCK, this);
        }
    }

    /** Refuses every later {@link #pushSpawned}; other pushes (wakes, overflow) go on. */
    void closeToSpawns() {
        SpinLock.lock(LOCK, this);
        closedToSpawns = true;
        SpinLock.unlock(LOCK, this);
    }

    /**
     * Appends a chain of tasks linked through {@link Task#nextScheduled()}, ending with a null
     * link.
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
        SpinLock.lock(LOCK, this);
        try {
            appendLocked(first, last, n);
        } finally {
            SpinLock.unlock(LOCK, this);
        }
    }

    /** Appends the chain first..last of n tasks; returns whether the queue was empty. Lock held. */
    private boolean appendLocked(Task<?> first, Task<?> last, int n) {
        boolean wasEmpty = tail == null;
        if (wasEmpty) {
            head = first;
        } else {
            tail.setNextScheduled(first);
        }
        tail = last;
        SIZE.setRelease(this, size + n);
        return wasEmpty;
    }

    /**
     * Takes the oldest task.
     *
     * @return the task, or null if empty
     */
    Task<?> pop() {
        if (size == 0) {
            return null;
        }
        SpinLock.lock(LOCK, this);
        try {
            Task<?> task = head;
            if (task == null) {
                return null;
            }
            head = task.nextScheduled();
            if (head == null) {
                tail = null;
            }
            SIZE.setRelease(this, size - 1);
            task.setNextScheduled(null);
            return task;
        } finally {
            SpinLock.unlock(LOCK, this);
        }
    }

    /**
     * Takes up to {@code max} of the oldest tasks: the first is returned to run, the others are
     * pushed to {@code dst} (the caller's own queue, which must have room for them).
     *
     * @param dst the worker's local queue
     * @param max at least 1
     * @return the first task taken, or null if empty
     */
    Task<?> popInto(LocalQueue dst, int max) {
        if (size == 0) {
            return null;
        }
        Task<?> first;
        SpinLock.lock(LOCK, this);
        try {
            first = head;
            if (first == null) {
                return null;
            }
            int n;
            Task<?> last;
            if (size <= max) {
                // All of it: no walk under the lock, where each link followed is a cache miss on
                // a task the producing core just wrote, and the producer waits.
                n = size;
                last = tail;
            } else {
                n = 1;
                last = first;
                while (n < max) {
                    last = last.nextScheduled();
                    n++;
                }
            }
            head = last.nextScheduled();
            if (head == null) {
                tail = null;
            }
            last.setNextScheduled(null);
            SIZE.setRelease(this, size - n);
        } finally {
            SpinLock.unlock(LOCK, this);
        }
        Task<?> rest = first.nextScheduled();
        first.setNextScheduled(null);
        while (rest != null) {
            Task<?> next = rest.nextScheduled();
            rest.setNextScheduled(null);
            Task<?> overflow = dst.push(rest);
            if (overflow != null) {
                throw new IllegalStateException("popInto given more tasks than the local queue has room for");
            }
            rest = next;
        }
        return first;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
