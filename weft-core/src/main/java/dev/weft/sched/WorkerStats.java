package dev.weft.sched;

import dev.weft.Histogram;
import dev.weft.RuntimeMetrics.WorkerMetrics;
import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * One worker's counters. The worker counts in plain fields that only it touches, and publishes
 * copies in batches: when it parks and after each batch of polls. So the hot path pays no shared
 * atomic or fence for statistics, and readers on other threads see figures at most one batch old.
 *
 * <p>Ordering: {@link #publish} writes each published figure with a release store (a volatile
 * write would cost a full fence each, a dozen per batch); a snapshot reads each with an acquire
 * load. Figures are published one by one, so a snapshot taken during a publish may mix two
 * batches; each figure is still one the worker really reached.
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

    /**
     * Counts a sampled poll's duration; see {@link #POLL_SAMPLE_MASK}. Each bucket is written
     * with an opaque store, so a snapshot reads whole counts, at most one sample old, without
     * the worker publishing them.
     *
     * @param nanos how long the poll took
     */
    void polledFor(long nanos) {
        int bucket = Histogram.bucketOf(nanos);
        setBucketOpaque(bucket, pollTimes[bucket] + 1);
        int word = bucket >>> 6;
        long bit = 1L << bucket;
        if ((usedPollTimes[word] & bit) == 0) { // a bucket's first count: a snapshot reads it
            setUsedOpaque(word, usedPollTimes[word] | bit);
        }
    }

    private void setBucketOpaque(int bucket, long count) {
        LONGS.setOpaque(pollTimes, bucket, count);
    }

    private long bucketOpaque(int bucket) {
        return (long) LONGS.getOpaque(pollTimes, bucket);
    }

    private void setUsedOpaque(int word, long bits) {
        LONGS.setOpaque(usedPollTimes, word, bits);
    }

    private long usedOpaque(int word) {
        return (long) LONGS.getOpaque(usedPollTimes, word);
    }

    /**
     * The sampled poll durations so far; read by any thread. Only the buckets the worker has
     * used are read: a handful, not all {@value Histogram#BUCKETS}.
     */
    Histogram pollTimes() {
        long[] used = new long[usedPollTimes.length];
        int n = 0;
        for (int word = 0; word < used.length; word++) {
            used[word] = usedOpaque(word);
            n += Long.bitCount(used[word]);
        }
        int[] buckets = new int[n];
        long[] counts = new long[n];
        int i = 0;
        for (int word = 0; word < used.length; word++) {
            for (long bits = used[word]; bits != 0; bits &= bits - 1) {
                buckets[i] = word * 64 + Long.numberOfTrailingZeros(bits);
                counts[i] = bucketOpaque(buckets[i]);
                i++;
            }
        }
        return Histogram.ofBuckets(buckets, counts);
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
        setRelease(published, POLLS, polls);
        setRelease(published, WAKES, wakes);
        setRelease(published, LOCAL, localExecutions);
        setRelease(published, INJECTED, injectedExecutions);
        setRelease(published, STEAL_ATTEMPTS, stealAttempts);
        setRelease(published, SUCCESSFUL_STEALS, successfulSteals);
        setRelease(published, TASKS_STOLEN, tasksStolen);
        setRelease(published, PARKS, parks);
        setRelease(published, BUSY_NANOS, busyNanos);
        setRelease(published, QUEUE_DEPTH, queueDepth);
        setRelease(published, SELECTS, selects);
        setRelease(published, IO_EVENTS, ioEvents);
        setRelease(published, SELECT_WAKEUPS, selectWakeups);
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
        return getAcquire(published, POLLS);
    }

    long publishedWakes() {
        return getAcquire(published, WAKES);
    }

    WorkerMetrics snapshot(int index) {
        return new WorkerMetrics(index, threadName, getAcquire(published, POLLS),
                getAcquire(published, WAKES), getAcquire(published, LOCAL),
                getAcquire(published, INJECTED), getAcquire(published, STEAL_ATTEMPTS),
                getAcquire(published, SUCCESSFUL_STEALS), getAcquire(published, TASKS_STOLEN),
                getAcquire(published, PARKS), Duration.ofNanos(getAcquire(published, BUSY_NANOS)),
                (int) getAcquire(published, QUEUE_DEPTH), getAcquire(published, SELECTS),
                getAcquire(published, IO_EVENTS), getAcquire(published, SELECT_WAKEUPS),
                pollTimes());
    }
}

@SuppressWarnings("unused")
abstract class WorkerStatsPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}

/** A worker's counters, between the two paddings; see {@link WorkerStats}. */
abstract class WorkerStatsFields extends WorkerStatsPadBefore {

    // Indices of the published copies, in published.
    static final int POLLS = 0;
    static final int WAKES = 1;
    static final int LOCAL = 2;
    static final int INJECTED = 3;
    static final int STEAL_ATTEMPTS = 4;
    static final int SUCCESSFUL_STEALS = 5;
    static final int TASKS_STOLEN = 6;
    static final int PARKS = 7;
    static final int BUSY_NANOS = 8;
    static final int QUEUE_DEPTH = 9;
    static final int SELECTS = 10;
    static final int IO_EVENTS = 11;
    static final int SELECT_WAKEUPS = 12;

    /**
     * One poll in this many, those whose number among the polls its thread began is a multiple
     * of it, is timed for the poll-time histogram: two clock readings per 64 polls.
     */
    static final int POLL_SAMPLE_MASK = 63;

    /**
     * Elements of the long arrays below: release stores and acquire loads of the published
     * copies, opaque ones of the poll-time buckets and of the bitmap of those used.
     */
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** The worker publishes a figure: pairs with {@link #getAcquire}. */
    static void setRelease(long[] published, int index, long figure) {
        LONGS.setRelease(published, index, figure);
    }

    /** A reader's load of a published figure: pairs with {@link #setRelease}. */
    static long getAcquire(long[] published, int index) {
        return (long) LONGS.getAcquire(published, index);
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

    /** Sampled poll durations per {@link Histogram} bucket; written by the worker, opaque. */
    final long[] pollTimes = new long[Histogram.BUCKETS];
    /** A bit per bucket of {@code pollTimes} that has counted: written by the worker, opaque. */
    final long[] usedPollTimes = new long[(Histogram.BUCKETS + 63) / 64];

    // Published copies: written by the worker with release stores, read with acquire loads.
    final long[] published = new long[SELECT_WAKEUPS + 1];
    final long[] publishedStarted = new long[Rank.LEVELS];
    final long[] publishedStartedAfterDeadline = new long[Rank.LEVELS];
    volatile String threadName = "";
}
