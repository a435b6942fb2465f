package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The figures the seed's tuner reads: poll times, windows of rates, queue depth, collections. */
class MetricsWindowTest {

    private static AsyncRuntime runtime(RuntimeKind kind, ManualClock clock) {
        return kind == RuntimeKind.MULTI_THREAD
                ? AsyncRuntime.builder().workerThreads(2).clock(clock).build()
                : AsyncRuntime.currentThread().clock(clock).build();
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void pollDurations_onTheRuntimesClock_areSampled(RuntimeKind kind) {
        ManualClock clock = new ManualClock();
        // One worker: a poll timed on one would also count the clock moves of another's.
        try (AsyncRuntime runtime = kind == RuntimeKind.MULTI_THREAD
                ? AsyncRuntime.builder().workerThreads(1).clock(clock).build()
                : runtime(kind, clock)) {
            // Every poll takes 5 ms of the clock; one poll in 64 of each thread is timed.
            List<JoinHandle<Integer>> slow = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                slow.add(runtime.spawn(cx -> {
                    clock.advance(Duration.ofMillis(5));
                    return Poll.ready(1);
                }));
            }
            for (JoinHandle<Integer> t : slow) {
                assertThat(runtime.blockOn(t)).isEqualTo(1);
            }
            Histogram polls = runtime.metrics().pollTimes();
            assertThat(polls.count()).as("polls timed of 300").isBetween(3L, 10L);
            assertThat(polls.percentile(0).toNanos()).isBetween(5_000_000L, 6_250_000L);
            assertThat(polls.percentile(1).toNanos()).isBetween(5_000_000L, 6_250_000L);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aWindow_givesThroughputUtilizationAndPollTimes(RuntimeKind kind) {
        try (AsyncRuntime runtime = kind.build()) {
            runtime.blockOn(runtime.spawn(Async.ready(0))); // the owner bound, workers up
            // A task is counted as ended just after its handle completes.
            Await.until("the first task counted", () -> runtime.metrics().tasksCompleted() == 1);
            RuntimeMetrics before = runtime.metrics();
            List<JoinHandle<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                int n = i;
                tasks.add(runtime.spawn(cx -> Poll.ready(n)));
            }
            for (JoinHandle<Integer> t : tasks) {
                runtime.blockOn(t);
            }
            Await.until("every task counted", () -> runtime.metrics().tasksCompleted() == 1_001);
            RuntimeMetrics after = runtime.metrics();
            RuntimeMetrics.Window window = after.since(before);
            assertThat(window.elapsed()).isPositive();
            assertThat(after.tasksCompleted() - before.tasksCompleted()).isEqualTo(1_000);
            assertThat(window.tasksPerSecond()).isCloseTo(1_000 / (window.elapsed().toNanos()
                    / 1e9), Percentage.withPercentage(1));
            assertThat(window.utilization()).isBetween(0.0, 1.0);
            assertThat(window.workerUtilization()).hasSize(after.workers().size())
                    .allSatisfy(u -> assertThat(u).isBetween(0.0, 1.0));
            assertThat(window.gcPressure()).isBetween(0.0, 1.0);
            assertThat(window.pollTimes().count())
                    .isEqualTo(after.pollTimes().count() - before.pollTimes().count());
            assertThatThrownBy(() -> before.since(after))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("taken before");
        }
    }

    @Test
    void tasksSpawnedFromOutside_whileEveryWorkerIsBusy_waitInTheGlobalQueue()
            throws InterruptedException {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            LongPollTest.Blocker first = new LongPollTest.Blocker();
            LongPollTest.Blocker second = new LongPollTest.Blocker();
            JoinHandle<String> a = runtime.spawn(first);
            first.awaitEntered();
            JoinHandle<String> b = runtime.spawn(second);
            second.awaitEntered();
            for (int i = 0; i < 5; i++) {
                runtime.spawn(Async.ready(i));
            }
            assertThat(runtime.metrics().globalQueueDepth()).isEqualTo(5);
            first.release.countDown();
            second.release.countDown();
            assertThat(a.join() + b.join()).isEqualTo("donedone");
            Await.until("the global queue drained",
                    () -> runtime.metrics().globalQueueDepth() == 0);
        }
    }

    @Test
    void aCurrentThreadRuntime_isNotBusyBetweenItsDrives() {
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            runtime.blockOn(runtime.spawn(Async.ready(0)));
            RuntimeMetrics before = runtime.metrics();
            for (int i = 0; i < 5; i++) {
                runtime.blockOn(runtime.spawn(Async.ready(i)));
                long until = System.nanoTime() + 20_000_000; // 20 ms away from the runtime
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            RuntimeMetrics.Window window = runtime.metrics().since(before);
            assertThat(window.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(window.utilization()).as("busy only while driven").isLessThan(0.5);
        }
    }

    @Test
    void collections_areCounted() {
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            RuntimeMetrics before = runtime.metrics();
            System.gc();
            RuntimeMetrics after = runtime.metrics();
            assertThat(after.gcCount()).isGreaterThan(before.gcCount());
            assertThat(after.gcTime()).isGreaterThanOrEqualTo(before.gcTime());
        }
    }
}
