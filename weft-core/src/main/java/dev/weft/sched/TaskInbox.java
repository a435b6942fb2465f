package dev.weft.sched;

import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A multi-producer, single-consumer queue of tasks, intrusive through
 * {@link Task#nextScheduled()}: pushing allocates nothing. Producers push on a lock-free stack;
 * the consumer takes the whole stack at once and reverses it, so it gets the tasks in the order
 * they were pushed.
 *
 * <p>Ordering: a producer links the task (plain write) and publishes it with the CAS on
 * {@code head} (release); the consumer's getAndSet on {@code head} (acquire) pairs with it, so the
 * links it then follows are visible. A task is in at most one queue at a time, so its one link is
 * never written by two queues.
 */
public final class TaskInbox {

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(TaskInbox.class, "head", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The most recently pushed task; its link leads to the earlier ones. */
    private volatile Task<?> head;

    /** A producer's push: a CAS whose release publishes the task's link. */
    private boolean casHead(Task<?> expected, Task<?> task) {
        return HEAD.compareAndSet(this, expected, task);
    }

    /** The consumer takes every task at once: the exchange acquires what the pushes released. */
    private Task<?> getAndSetHead(Task<?> task) {
        return (Task<?>) HEAD.getAndSet(this, task);
    }

    /**
     * Adds a task. Any thread; lock-free.
     *
     * @param task a task in no other queue
     */
    public void push(Task<?> task) {
        Task<?> h;
        do {
            h = head;
            task.setNextScheduled(h);
        } while (!casHead(h, task));
    }

    /**
     * Takes every task pushed so far. Consumer thread only.
     *
     * @return the first task pushed, linked through {@link Task#nextScheduled()} to the others in
     *         push order, or null if empty; the caller clears each link as it walks
     */
    public Task<?> takeAll() {
        Task<?> node = getAndSetHead(null);
        Task<?> reversed = null;
        while (node != null) {
            Task<?> next = node.nextScheduled();
            node.setNextScheduled(reversed);
            reversed = node;
            node = next;
        }
        return reversed;
    }

    /**
     * Tells whether nothing is queued; a racy hint for other threads, exact for the consumer
     * against its own takes.
     *
     * @return true if no task is queued
     */
    public boolean isEmpty() {
        return head == null;
    }
}
