package dev.weft.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live tasks of one runtime, so that shutdown can find and cancel the ones that are waiting
 * (they sit in no queue), and the lifetime counts of tasks by how they ended.
 *
 * <p>An intrusive doubly linked list through {@link Task#registryPrev}/{@link Task#registryNext},
 * guarded by one lock. {@link #bind} checks {@link #close() closed} under the same lock as it
 * links, so a spawn racing a shutdown is either refused or seen by the shutdown: never lost.
 */
public final class TaskRegistry {

    /** Lifetime counts, read together under the lock. */
    public record Counts(long spawned, long completed, long failed, long cancelled, long live) {
    }

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

    /**
     * Adds a newly spawned task, unless the registry is closed.
     *
     * @param task the task
     * @return false if closed: the spawn must be refused
     */
    public boolean bind(Task<?> task) {
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
            task.registered = true;
            live++;
            spawned++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a task that ended, and counts how it ended. Called once per bound task.
     *
     * @param task the completed task
     */
    public void remove(Task<?> task) {
        lock.lock();
        try {
            if (!task.registered) {
                throw new IllegalStateException(task + " removed from a registry that does not hold it");
            }
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
            task.registered = false;
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

    /** Refuses every later {@link #bind}. */
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no task is live, or the deadline passes.
     *
     * @param deadlineNanos a {@link System#nanoTime()} instant
     * @return true if no task is live
     */
    public boolean awaitEmpty(long deadlineNanos) {
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

    /**
     * Tells whether no task is live.
     *
     * @return true if empty
     */
    public boolean isEmpty() {
        lock.lock();
        try {
            return live == 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Aborts every live task. Tasks that are waiting or queued end at once; a task being polled
     * ends when its poll returns.
     *
     * @return how many tasks this call cancelled
     */
    public int abortAll() {
        List<Task<?>> victims = new ArrayList<>();
        lock.lock();
        try {
            for (Task<?> t = head; t != null; t = t.registryNext) {
                victims.add(t);
            }
        } finally {
            lock.unlock();
        }
        // Outside the lock: an abort completes the task, whose release takes the lock again.
        int aborted = 0;
        for (Task<?> t : victims) {
            if (t.abort()) {
                aborted++;
            }
        }
        return aborted;
    }

    /**
     * Returns the lifetime counts.
     *
     * @return a consistent snapshot of the counts
     */
    public Counts counts() {
        lock.lock();
        try {
            return new Counts(spawned, completed, failed, cancelled, live);
        } finally {
            lock.unlock();
        }
    }
}
