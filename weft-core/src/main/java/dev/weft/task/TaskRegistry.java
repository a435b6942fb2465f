package dev.weft.task;

import dev.weft.concurrent.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The tasks a runtime must be able to find at a forced shutdown although they sit in no run
 * queue: those waiting for a wake. A multi-thread runtime adds a task the first time it is about
 * to wait, from the thread polling it (see {@link TaskScheduler#trackPending}); a task that only
 * ever runs straight through (most spawned tasks) never touches the registry. A current-thread
 * runtime adds every task at spawn, since nobody else can reach its run queue. A task stays until
 * it completes; counting tasks is not the registry's job.
 *
 * <p>Sharded, as Tokio's owned-task list is: each shard is an intrusive doubly linked list
 * through {@link Task#registryPrev}/{@link Task#registryNext} with a lock of its own, picked by
 * the task's identity hash, so that adding a task and removing another elsewhere rarely meet on
 * one lock. The head's {@code registryPrev} is the head itself, so a task is in the registry
 * exactly when its {@code registryPrev} is not null: no field for that, nor for the shard.
 *
 * <p>{@link #add} checks {@code closed} under the shard's lock as it links the task, and
 * {@link #close()} sets it under every shard's lock, so a task added while a forced shutdown
 * collects the tasks is either refused (and the caller cancels it) or collected: never missed.
 */
public final class TaskRegistry {

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
            this.shards[i] = new Shard();
        }
        this.mask = n - 1;
    }

    /**
     * Adds a task, unless the registry is closed. Called by the thread that holds the task's
     * RUNNING claim, or by the spawner before the task is published.
     *
     * @param task a task not in the registry
     * @return false if closed: the task is being cancelled with the others and must end now
     */
    public boolean add(Task<?> task) {
        return shardOf(task).add(task);
    }

    /**
     * Removes a completed task, if it was added. Called once per task, by its completer.
     *
     * @param task the completed task
     */
    public void removeIfAdded(Task<?> task) {
        // Read without the lock: see Task.registryPrev for why a non-null value means "added".
        if (task.registryPrev != null) {
            shardOf(task).remove(task);
        }
    }

    private Shard shardOf(Task<?> task) {
        // A task's first identity hash is a CAS on its header: not worth paying for one shard.
        return mask == 0 ? shards[0] : shards[System.identityHashCode(task) & mask];
    }

    /** Refuses every later {@link #add}; for the forced shutdown, before {@link #collect}. */
    public void close() {
        for (Shard shard : shards) {
            shard.close();
        }
    }

    /**
     * Adds every task in the registry to {@code into}, to be aborted outside the locks (an abort
     * completes the task, whose removal takes a lock again).
     *
     * @param into receives the tasks
     */
    public void collect(List<Task<?>> into) {
        for (Shard shard : shards) {
            shard.collect(into);
        }
    }

    /** Padding before a shard's fields: keeps them off the cache line of the previous shard. */
    @SuppressWarnings("unused")
    private abstract static class ShardPadBefore {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        // Fills the gap after the object header, which the JVM gives to a subclass's small field
        // otherwise: the very field this pads (see PaddingLayoutTest).
        int p08, p09;
    }

    /** A shard's fields: all but {@code lock} guarded by the lock. */
    private abstract static class ShardFields extends ShardPadBefore {
        /** 0 free, 1 held; see {@link SpinLock}. */
        volatile int lock;
        Task<?> head;
        boolean closed;
    }

    /**
     * One list under a {@link SpinLock}: the critical sections are a handful of field writes. The
     * shard is padded on both sides, as JCTools pads its queue indices, so that an add on one shard
     * and a removal on the next do not write the same cache line.
     */
    @SuppressWarnings("unused")
    private static final class Shard extends ShardFields {
        long q00, q01, q02, q03, q04, q05, q06, q07;

        private static final VarHandle LOCK;

        static {
            try {
                LOCK = MethodHandles.lookup().findVarHandle(ShardFields.class, "lock", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private void lock() {
            SpinLock.lock(LOCK, this);
        }

        private void unlock() {
            SpinLock.unlock(LOCK, this);
        }

        boolean add(Task<?> task) {
            lock();
            try {
                if (closed) {
                    return false;
                }
                task.registryNext = head;
                if (head != null) {
                    head.registryPrev = task;
                }
                task.registryPrev = task; // the head points to itself: see the class comment
                head = task;
                return true;
            } finally {
                unlock();
            }
        }

        void remove(Task<?> task) {
            lock();
            try {
                Task<?> prev = task.registryPrev;
                Task<?> next = task.registryNext;
                if (prev == task) {
                    head = next;
                    if (next != null) {
                        next.registryPrev = next;
                    }
                } else {
                    prev.registryNext = next;
                    if (next != null) {
                        next.registryPrev = prev;
                    }
                }
                task.registryPrev = null;
                task.registryNext = null;
            } finally {
                unlock();
            }
        }

        void close() {
            lock();
            closed = true;
            unlock();
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
    }
}
