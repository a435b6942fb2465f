package dev.weft.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The live tasks of one runtime, so that shutdown can find and cancel the ones that are waiting
 * (they sit in no queue), and the lifetime counts of tasks by how they ended.
 *
 * <p>Sharded, as Tokio's owned-task list is: each shard is an intrusive doubly linked list
 * through {@link Task#registryPrev}/{@link Task#registryNext} with a lock of its own, and the
 * caller picks a shard by a hint (a multi-thread runtime's worker passes a different shard for
 * each spawn), so that a spawn and a completion elsewhere rarely meet on one lock. A task
 * remembers its shard.
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

    /** Padding before a shard's fields: keeps them off the cache line of the previous shard. */
    @SuppressWarnings("unused")
    private abstract static class ShardPadBefore {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** A shard's fields: all but {@code lock} guarded by the lock. */
    private abstract static class ShardFields extends ShardPadBefore {
        /** 0 free, 1 held; see {@link Shard#lock()}. */
        volatile int lock;
        Task<?> head;
        boolean closed;
        long live;
        long spawned;
        long completed;
        long failed;
        long cancelled;
    }

    /**
     * One list and one set of counts under a spin lock. The critical sections are a handful of
     * field writes, shorter than parking a thread would take, so a contended acquirer spins
     * (yielding its core after a while, since a 2-core machine may have preempted the holder). The
     * shard is padded on both sides, as JCTools pads its queue indices, so that a spawn on one
     * shard and a completion on the next do not write the same cache line. Waiting for the shard
     * to empty, which only shutdown does, uses the object's monitor instead.
     */
    @SuppressWarnings("unused")
    private static final class Shard extends ShardFields {
        long q00, q01, q02, q03, q04, q05, q06, q07;

        private static final VarHandle LOCK;
        private static final int SPINS_BEFORE_YIELD = 64;

        static {
            try {
                LOCK = MethodHandles.lookup().findVarHandle(ShardFields.class, "lock", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final int index;

        Shard(int index) {
            this.index = index;
        }

        /** Acquires: the successful CAS pairs with the releasing write in {@link #unlock()}. */
        private void lock() {
            int spins = 0;
            while (!LOCK.compareAndSet(this, 0, 1)) {
                if (++spins % SPINS_BEFORE_YIELD == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        /** Releases: the guarded writes above happen-before the next acquirer's CAS. */
        private void unlock() {
            LOCK.setRelease(this, 0);
        }

        boolean bind(Task<?> task) {
            lock();
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
                unlock();
            }
        }

        void remove(Task<?> task) {
            boolean emptiedWhileClosed;
            lock();
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
                emptiedWhileClosed = --live == 0 && closed;
            } finally {
                unlock();
            }
            if (emptiedWhileClosed) {
                // Under the monitor, after live changed: awaitEmpty reads live under the same
                // monitor before it waits, so it either sees zero or gets this notification.
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        void close() {
            lock();
            closed = true;
            unlock();
        }

        synchronized boolean awaitEmpty(long deadlineNanos) {
            boolean interrupted = false;
            while (!isEmpty()) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return isEmpty();
        }

        boolean isEmpty() {
            lock();
            boolean empty = live == 0;
            unlock();
            return empty;
        }

        void collect(List<Task<?>> into) {
            lock();
            try {
                for (Task<?> t = head; t != null; t = t.registryNext) {
                    into.add(t);
                }
            } finally {
                unlock();
            }
        }

        Counts counts() {
            lock();
            try {
                return new Counts(spawned, completed, failed, cancelled, live);
            } finally {
                unlock();
            }
        }
    }
}
