package dev.weft.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scheduler for task tests: a queue the test drains by hand, a registry of waiting tasks as a
 * runtime keeps one, and counts of what the task asked. It flags a task queued twice at once,
 * which would break "one queue entry per NOTIFIED".
 */
final class RecordingScheduler implements TaskScheduler, TaskScheduler.RunNextSlot {

    final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
    final AtomicInteger schedules = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    final AtomicInteger trackings = new AtomicInteger();
    final TaskRegistry registry = new TaskRegistry(1);
    /** Tasks a wake claimed for its thread (see runNextSlot), waiting for that thread. */
    final ConcurrentLinkedQueue<Task<?>> claimed = new ConcurrentLinkedQueue<>();
    final AtomicInteger claims = new AtomicInteger();
    /** The thread whose wakes claim, as a worker's claim for its own LIFO slot; none if null. */
    volatile Thread claimingThread;
    volatile String violation;

    @Override
    public void schedule(Task<?> task) {
        schedules.incrementAndGet();
        if (queue.contains(task)) {
            violation = task + " scheduled while already queued";
        }
        queue.add(task);
    }

    @Override
    public RunNextSlot runNextSlot(Task<?> task) {
        return Thread.currentThread() == claimingThread ? this : null;
    }

    @Override
    public void takeClaimed(Task<?> task) {
        claims.incrementAndGet();
        if (Thread.currentThread() != claimingThread) {
            violation = task + " claimed for a thread that does not claim";
        }
        if (claimed.contains(task) || queue.contains(task)) {
            violation = task + " claimed while already claimed or queued";
        }
        claimed.add(task);
    }

    /**
     * On the claiming thread: runs the task its wake claimed, if any, as a worker runs its LIFO
     * slot, queueing it if it was woken again during the poll.
     */
    void runClaimed() {
        Task<?> t = claimed.poll();
        if (t != null && t.runClaimed() == Task.RESCHEDULE) {
            queue.add(t);
        }
    }

    /** On the claiming thread: gives the claim back and queues the task, as a worker's yield. */
    void unclaimAndQueue() {
        Task<?> t = claimed.poll();
        if (t != null && t.unclaim()) {
            queue.add(t);
        }
    }

    @Override
    public boolean trackPending(Task<?> task) {
        trackings.incrementAndGet();
        return registry.add(task);
    }

    @Override
    public void release(Task<?> task) {
        if (releases.incrementAndGet() > 1) {
            violation = task + " released twice";
        }
        registry.removeIfAdded(task);
    }

    @Override
    public void awaitDone(Task<?> task) {
        task.parkUntilDone();
    }

    /** The tasks in the registry. */
    List<Task<?>> registered() {
        List<Task<?>> tasks = new ArrayList<>();
        registry.collect(tasks);
        return tasks;
    }

    /** Runs queued tasks until the queue is empty, queueing again those woken during a poll. */
    int drain() {
        int polls = 0;
        Task<?> t;
        while ((t = queue.poll()) != null) {
            int result = t.run();
            if (result != Task.SKIPPED) {
                polls++;
            }
            if (result == Task.RESCHEDULE) {
                queue.add(t);
            }
        }
        return polls;
    }
}
