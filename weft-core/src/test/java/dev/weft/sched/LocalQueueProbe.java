package dev.weft.sched;

/** Public access to a local queue holding one task, for the litmus test in another package. */
public final class LocalQueueProbe {

    private final LocalQueue queue = new LocalQueue();
    private final LocalQueue thiefQueue = new LocalQueue();

    private LocalQueueProbe() {
    }

    /**
     * A queue holding one task.
     *
     * @return the probe
     */
    public static LocalQueueProbe withOneTask() {
        LocalQueueProbe probe = new LocalQueueProbe();
        probe.queue.push(QueueTasks.task(1));
        return probe;
    }

    /**
     * The owner pops.
     *
     * @return whether it got a task
     */
    public boolean ownerPop() {
        return queue.pop() != null;
    }

    /**
     * A thief steals.
     *
     * @return whether it got a task
     */
    public boolean steal() {
        return queue.stealInto(thiefQueue) != null;
    }
}
