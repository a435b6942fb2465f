package dev.weft.sched;

import dev.weft.RuntimeMetrics.WorkerMetrics;
import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * One worker's counters. The worker counts in plain fields that only it touches, and publishes
 * copies through volatile fields in batches: when it parks and after each batch of polls. So the
 * hot path pays no shared atomic for statistics, and readers on other threads see figures at most
 * one batch old.
 *
 * <p>Ordering: {@link #publish} writes each published field with a volatile write; a snapshot
 * reads each with a volatile read. Fields are published one by one, so a snapshot taken during a
 * publish may mix two batches; each figure is still one the worker really reached.
 */
final class WorkerStats extends WorkerStatsFields {

    // Padding after the counters, as WorkerStatsPadBefore pads before them: they are written on
    // every poll, and the object the GC happens to place next may be another worker's.
    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07;

    /**
     * Counts a poll of {@code task}, which the worker just ran.
     *
     * @param task         the task
     * @param startedLate  whether its deadline had passed when the poll began; see
     *                     {@link Rank#startsLate}
     */
    void polled(Task<?> task, boolean startedLate) {
        polls++;
        if (task.pollCount() > 1) {
            wakes++;
        } else {
            int level = Rank.levelOf(task);
            started[level]++;
            if (startedLate) {
                startedAfterDeadline[level]++;
            }
        }
    }

    void tookLocal() {
        localExecutions++;
    }

    void tookInjected() {
        injectedExecutions++;
    }

    void stealAttempted() {
        stealAttempts++;
    }

    void stole(int tasks) {
        successfulSteals++;
        tasksStolen += tasks;
    }

    /**
     * Counts a select on the I/O driver.
     *
     * @param events       the channels it reported ready
     * @param wakeupsSoFar the selects a wake ended so far, as the worker's parker counts them
     */
    void selected(int events, long wakeupsSoFar) {
        selects++;
        ioEvents += events;
        selectWakeups = wakeupsSoFar;
    }

    long polls() {
        return polls;
    }

    /** The worker is about to park: count it and publish. */
    void beforePark(int queueDepth) {
        parks++;
        publish(queueDepth);
    }

    /** The worker woke up: open a busy interval. */
    void afterPark() {
        busySince = System.nanoTime();
    }

    /** Publishes the counters, including the busy time up to now (the worker is busy). */
    void publish(int queueDepth) {
        long now = System.nanoTime();
        busyNanos += now - busySince;
        busySince = now;
        publishedPolls = polls;
        publishedWakes = wakes;
        publishedLocal = localExecutions;
        publishedInjected = injectedExecutions;
        publishedStealAttempts = stealAttempts;
        publishedSuccessfulSteals = successfulSteals;
        publishedTasksStolen = tasksStolen;
        publishedParks = parks;
        publishedBusyNanos = busyNanos;
        publishedQueueDepth = queueDepth;
        publishedSelects = selects;
        publishedIoEvents = ioEvents;
        publishedSelectWakeups = selectWakeups;
        for (int level = 0; level < Rank.LEVELS; level++) {
            setRelease(publishedStarted, level, started[level]);
            setRelease(publishedStartedAfterDeadline, level, startedAfterDeadline[level]);
        }
    }

    /**
     * Tasks of a priority level polled for the first time, as last published.
     *
     * @param level 0 (CRITICAL) to {@code Rank.LEVELS - 1}
     * @return the count
     */
    long publishedStarted(int level) {
        return getAcquire(publishedStarted, level);
    }

    /**
     * Of those, tasks whose deadline had passed, as last published.
     *
     * @param level 0 (CRITICAL) to {@code Rank.LEVELS - 1}
     * @return the count
     */
    long publishedStartedAfterDeadline(int level) {
        return getAcquire(publishedStartedAfterDeadline, level);
    }

    /** Records which thread runs this worker now. */
    void runBy(Thread thread) {
        threadName = thread.getName();
    }

    long publishedPolls() {
        return publishedPolls;
    }

    long publishedWakes() {
        return publishedWakes;
    }

    WorkerMetrics snapshot(int index) {
        return new WorkerMetrics(index, threadName, publishedPolls, publishedWakes, publishedLocal,
                publishedInjected, publishedStealAttempts, publishedSuccessfulSteals,
                publishedTasksStolen,
                publishedParks, Duration.ofNanos(publishedBusyNanos), publishedQueueDepth,
                publishedSelects, publishedIoEvents, publishedSelectWakeups);
    }
}

/**
 * Padding before a worker's counters (JCTools' idiom: a superclass's fields are laid out first).
 */
@SuppressWarnings("unused")
abstract class WorkerStatsPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}

/** A worker's counters, between the two paddings; see {@link WorkerStats}. */
abstract class WorkerStatsFields extends WorkerStatsPadBefore {

    /** Release stores and acquire loads of the published per-level arrays' elements. */
    private static final VarHandle PUBLISHED = MethodHandles.arrayElementVarHandle(long[].class);

    /** The worker publishes a per-level count: pairs with {@link #getAcquire}. */
    static void setRelease(long[] published, int level, long count) {
        PUBLISHED.setRelease(published, level, count);
    }

    /** A reader's load of a per-level count: pairs with {@link #setRelease}. */
    static long getAcquire(long[] published, int level) {
        return (long) PUBLISHED.getAcquire(published, level);
    }

    // Owned by the worker thread.
    /**
     * Per priority level: tasks polled for the first time, and those that began after their
     * deadline.
     */
    final long[] started = new long[Rank.LEVELS];
    final long[] startedAfterDeadline = new long[Rank.LEVELS];
    long polls;
    long wakes;
    long localExecutions;
    long injectedExecutions;
    long stealAttempts;
    long successfulSteals;
    long tasksStolen;
    long parks;
    long selects;
    long ioEvents;
    long selectWakeups;
    long busyNanos;
    long busySince = System.nanoTime();

    // Published copies.
    volatile long publishedPolls;
    volatile long publishedWakes;
    volatile long publishedLocal;
    volatile long publishedInjected;
    volatile long publishedStealAttempts;
    volatile long publishedSuccessfulSteals;
    volatile long publishedTasksStolen;
    volatile long publishedParks;
    volatile long publishedBusyNanos;
    volatile int publishedQueueDepth;
    volatile long publishedSelects;
    volatile long publishedIoEvents;
    volatile long publishedSelectWakeups;
    /**
     * Elements written with release stores by the worker, read with acquire loads; see PUBLISHED.
     */
    final long[] publishedStarted = new long[Rank.LEVELS];
    final long[] publishedStartedAfterDeadline = new long[Rank.LEVELS];
    volatile String threadName = "";
}
