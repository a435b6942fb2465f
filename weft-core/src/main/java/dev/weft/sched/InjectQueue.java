package dev.weft.sched;

import dev.weft.task.Task;

/**
 * The global injection queue of a multi-thread runtime: tasks spawned or woken from outside the
 * workers, and the overflow of full local queues. FIFO, intrusive through
 * {@link Task#nextScheduled()}, guarded by this object's monitor (as Tokio guards its inject
 * queue with a mutex): pushes and pops are short, and batches move many tasks per acquisition.
 *
 * <p>{@code size} is also written under the monitor, but volatile, so that workers can see
 * whether there is anything to take without locking.
 */
final class InjectQueue {

    // Guarded by this.
    private Task<?> head;
    private Task<?> tail;
    /** Written under the monitor; read without it as a hint. */
    private volatile int size;

    /**
     * Appends one task.
     *
     * @param task a task in no other queue
     */
    void push(Task<?> task) {
        task.setNextScheduled(null);
        synchronized (this) {
            if (tail == null) {
                head = task;
            } else {
                tail.setNextScheduled(task);
            }
            tail = task;
            size = size + 1;
        }
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
        synchronized (this) {
            if (tail == null) {
                head = first;
            } else {
                tail.setNextScheduled(first);
            }
            tail = last;
            size = size + n;
        }
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
        synchronized (this) {
            Task<?> task = head;
            if (task == null) {
                return null;
            }
            head = task.nextScheduled();
            if (head == null) {
                tail = null;
            }
            size = size - 1;
            task.setNextScheduled(null);
            return task;
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
        synchronized (this) {
            first = head;
            if (first == null) {
                return null;
            }
            int n = 1;
            Task<?> last = first;
            while (n < max && last.nextScheduled() != null) {
                last = last.nextScheduled();
                n++;
            }
            head = last.nextScheduled();
            if (head == null) {
                tail = null;
            }
            last.setNextScheduled(null);
            size = size - n;
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
