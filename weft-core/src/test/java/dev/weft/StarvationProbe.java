package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A saturating CRITICAL load and one BACKGROUND task behind it, recording when each CRITICAL poll
 * started and on which thread. The bound it checks is the documented one, in a form that holds
 * however slow the machine: once the BACKGROUND task has waited the threshold, the worker that
 * runs it starts at most one more CRITICAL poll first (the pick made just before it aged). No
 * poll duration or machine speed enters the assertion.
 */
final class StarvationProbe {

    /** How long one CRITICAL poll keeps its thread busy. */
    private static final long POLL_NANOS = 300_000;
    /** The CRITICAL load gives up after this, so that a runtime without aging fails instead of hanging. */
    private static final long GIVE_UP_NANOS = Await.BOUND.toNanos();

    private record Start(Thread thread, long at) {
    }

    private final long thresholdNanos;
    private final long createdAt = System.nanoTime();
    private final ConcurrentLinkedQueue<Start> criticalStarts = new ConcurrentLinkedQueue<>();
    private volatile boolean stop;
    private volatile long backgroundQueuedAt;
    private volatile long backgroundStartedAt;
    private volatile Thread backgroundThread;

    StarvationProbe(Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
    }

    /** A CRITICAL task that keeps its thread busy for a while, then spawns its successor. */
    Future<Void> criticalChain() {
        return cx -> {
            long start = System.nanoTime();
            criticalStarts.add(new Start(Thread.currentThread(), start));
            while (System.nanoTime() - start < POLL_NANOS) {
                Thread.onSpinWait();
            }
            if (!stop && System.nanoTime() - createdAt < GIVE_UP_NANOS) {
                Async.spawn(TaskOptions.priority(Priority.CRITICAL), criticalChain());
            }
            return Poll.ready(null);
        };
    }

    /**
     * Spawns the BACKGROUND task; its start ends the CRITICAL load. Its queueing time is read once
     * the spawn returned, so it is no earlier than the stamp the runtime gave the task (a pause of
     * the spawning thread in between, a collection say, would otherwise count against the bound).
     */
    JoinHandle<Void> spawnBackground(AsyncRuntime runtime) {
        JoinHandle<Void> background = runtime.spawn(TaskOptions.priority(Priority.BACKGROUND), cx -> {
            backgroundStartedAt = System.nanoTime();
            backgroundThread = Thread.currentThread();
            stop = true;
            return Poll.ready(null);
        });
        backgroundQueuedAt = System.nanoTime();
        return background;
    }

    void awaitBackgroundStarted() {
        Await.until("the BACKGROUND task to start, or the CRITICAL load to give up",
                () -> stop || System.nanoTime() - createdAt > GIVE_UP_NANOS);
    }

    void assertStartedWithinTheBound() {
        assertThat(stop).as("the BACKGROUND task started before the CRITICAL load gave up").isTrue();
        long agedAt = backgroundQueuedAt + thresholdNanos;
        List<Start> afterAging = criticalStarts.stream()
                .filter(s -> s.thread() == backgroundThread && s.at() - agedAt > 0 && backgroundStartedAt - s.at() > 0)
                .toList();
        assertThat(afterAging)
                .as("CRITICAL polls started on %s after the BACKGROUND task had waited %d ms, before it started",
                        backgroundThread.getName(), thresholdNanos / 1_000_000)
                .hasSizeLessThanOrEqualTo(1);
        assertThat(criticalStarts).as("the CRITICAL load ran").isNotEmpty();
    }
}
