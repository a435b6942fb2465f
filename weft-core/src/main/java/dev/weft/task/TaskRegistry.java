package dev.weft.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live tasks of one runtime, so that shutdown can find and cancel the ones that are waiting
 * (they sit in no queue), and the lifetime counts of tasks by how they ended.
 *
 * <p>Sharded, as Tokio's owned-task list is: each shard is an intrusive doubly linked list
 * through {@link Task#registryPrev}/{@link Task#registryNext} with a lock of its own, and the
 * caller picks a shard by a hint (a multi-thread runtime passes the worker's index), so spawns
 * and completions on different workers do not contend. A task remembers its shard.
 *
 * <p>{@link #bind} checks {@code closed} under the shard's lock as it links the task, and
 * {@link #close()} sets it under every shard's lock, so a spawn racing a shutdown is either
 * refused or seen by {@link #abortAll()}: never lost. Once closed, shards only shrink, which is
 * what lets {@link #awaitEmpty} wait for one shard after the other.
 */
public final class TaskRegistry {

    /** Lifetime counts, summed over the shards. */
    public record Counts(long spawned, long completed, long failed, long cancelled, long live) {
    }

    private final Shard[] shards;
    private final int mask;

    /**
     * Creates a registry.
     *
     * @param shards the number of shards, rounded up to a power of two
     */
    public TaskRegistry(int shards) {
        int n = 1;
        while (n < shards) {
            n <<= 1;
        }
        this.shards = new Shard[n];
        for (int i = 0; i < n; i++) {
            this.shards[i] = new Shard(i);
        }
        this.mask = n - 1;
    }

    /**
     * Adds a newly spawned task, unless the registry is closed.
     *
     * @param task the task
     * @param hint picks the shard; spawns with the same hint share one
     * @return false if closed: the spawn must be refused
     */
    public boolean bind(Task<?> task, int hint) {
        return shards[hint & mask].bind(task);
    }

    /**
     * Removes a task that ended, and counts how it ended. Called once per bound task.
     *
     * @param task the completed task
     */
    public void remove(Task<?> task) {
        int shard = task.registryShard;
        if (shard < 0) {
            throw new IllegalStateException(task + " removed from a registry that does not hold it");
        }
        shards[shard].remove(task);
    }

    /** Refuses every later {@link #bind}. */
    public void close() {
        for (Shard shard : shards) {
            shard.close();
        }
    }

    /**
     * Waits until no task is live, or the deadline passes. Only after {@link #close()}.
     *
     * @param deadlineNanos a {@link System#nanoTime()} instant
     * @return true if no task is live
     */
    public boolean awaitEmpty(long deadlineNanos) {
        for (Shard shard : shards) {
            if (!shard.awaitEmpty(deadlineNanos)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells whether no task is live.
     *
     * @return true if empty
     */
    public boolean isEmpty() {
        for (Shard shard : shards) {
            if (!shard.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Aborts every live task. Tasks that are waiting or queued end at once; a task being polled
     * ends when its poll returns.
     *
     * @param beforeAbort called with each live task before it is aborted (for
     *                    {@code shutdownNow}, which reports tasks that never started)
     * @return how many tasks this call cancelled
     */
    public int abortAll(java.util.function.Consumer<Task<?>> beforeAbort) {
        List<Task<?>> victims = new ArrayList<>();
        for (Shard shard : shards) {
            shard.collect(victims);
        }
        // Outside the locks: an abort completes the task, whose release takes a lock again.
        int aborted = 0;
        for (Task<?> t : victims) {
            beforeAbort.accept(t);
            if (t.abort()) {
                aborted++;
            }
        }
        return aborted;
    }

    /**
     * Returns the lifetime counts.
     *
     * @return the counts summed over the shards, each shard read consistently
     */
    public Counts counts() {
        long spawned = 0;
        long completed = 0;
        long failed = 0;
        long cancelled = 0;
        long live = 0;
        for (Shard shard : shards) {
            Counts c = shard.counts();
            spawned += c.spawned;
            completed += c.completed;
            failed += c.failed;
            cancelled += c.cancelled;
            live += c.live;
        }
        return new Counts(spawned, completed, failed, cancelled, live);
    }

    /** One lock, one list, one set of counts. */
    private static final class Shard {
        private final int index;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition emptied = lock.newCondition();

        // All guarded by lock.
        private Task<?> head;
        private boolean closed;
        private long live;
        private long spawned;
        private long completed;
        private long failed;
        private long cancelled;

        Shard(int index) {
            this.index = index;
        }

        boolean bind(Task<?> task) {
            lock.lock();
            try {
                if (closed) {
                    return false;
                }
                task.registryNext = head;
                if (head != null) {
                    head.registryPrev = task;
                }
                head = task;
                task.registryShard = index;
                live++;
                spawned++;
                return true;
            } finally {
                lock.unlock();
            }
        }

        void remove(Task<?> task) {
            lock.lock();
            try {
                Task<?> prev = task.registryPrev;
                Task<?> next = task.registryNext;
                if (prev == null) {
                    head = next;
                } else {
                    prev.registryNext = next;
                }
                if (next != null) {
                    next.registryPrev = prev;
                }
                task.registryPrev = null;
                task.registryNext = null;
                task.registryShard = -1;
                if (task.isCancelled()) {
                    cancelled++;
                } else if (task.isFailed()) {
                    failed++;
                } else {
                    completed++;
                }
                if (--live == 0) {
                    emptied.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        void close() {
            lock.lock();
            try {
                closed = true;
            } finally {
                lock.unlock();
            }
        }

        boolean awaitEmpty(long deadlineNanos) {
            lock.lock();
            try {
                boolean interrupted = false;
                while (live > 0) {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    try {
                        emptied.awaitNanos(remaining);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return live == 0;
            } finally {
                lock.unlock();
            }
        }

        boolean isEmpty() {
            lock.lock();
            try {
                return live == 0;
            } finally {
                lock.unlock();
            }
        }

        void collect(List<Task<?>> into) {
            lock.lock();
            try {
                for (Task<?> t = head; t != null; t = t.registryNext) {
                    into.add(t);
                }
            } finally {
                lock.unlock();
            }
        }

        Counts counts() {
            lock.lock();
            try {
                return new Counts(spawned, completed, failed, cancelled, live);
            } finally {
                lock.unlock();
            }
        }
    }
}
