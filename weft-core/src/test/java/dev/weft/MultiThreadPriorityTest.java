package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Priorities across the queues of the multi-thread runtime: local, global, LIFO slot, stealing. */
class MultiThreadPriorityTest {

    private static final Duration NO_AGING = Duration.ofHours(1);

    /** Blocks the polling worker until the latch opens; fails the task if it never does. */
    private static Future<Void> blockUntil(CountDownLatch started, CountDownLatch release) {
        return cx -> {
            started.countDown();
            awaitOrFail(release, "the release of a blocked worker");
            return Poll.ready(null);
        };
    }

    private static void awaitOrFail(CountDownLatch latch, String what) {
        try {
            if (!latch.await(Await.BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out waiting for " + what);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oneWorker_runsQueuedTasksInRankOrder() {
        AsyncRuntime runtime =
                AsyncRuntime.builder().workerThreads(1).starvationThreshold(NO_AGING).build();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        runtime.spawn(blockUntil(blocked, release));
        awaitOrFail(blocked, "the worker to be busy");

        Random random = new Random(3);
        Priority[] priorities = Priority.values();
        ConcurrentLinkedQueue<Integer> ranksRun = new ConcurrentLinkedQueue<>();
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Priority p = priorities[random.nextInt(priorities.length)];
            boolean withDeadline = random.nextInt(3) == 0;
            TaskOptions options = withDeadline
                    ? TaskOptions.priority(p)
                            .deadline(Instant.now().plusSeconds(random.nextInt(100)))
                    : TaskOptions.priority(p);
            int rank = 2 * p.ordinal() + (withDeadline ? 0 : 1);
            handles.add(runtime.spawn(options, cx -> {
                ranksRun.add(rank);
                return Poll.ready(null);
            }));
        }
        release.countDown();
        handles.forEach(JoinHandle::join);

        assertThat(new ArrayList<>(ranksRun)).hasSize(1000).isSorted();
        runtime.close();
    }

    @Test
    void anIdleWorker_stealsTheCriticalTaskOfABusyOne_beforeItsBackgroundTasks() {
        AsyncRuntime runtime =
                AsyncRuntime.builder().workerThreads(2).starvationThreshold(NO_AGING).build();
        CountDownLatch blockerStarted = new CountDownLatch(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        CountDownLatch criticalStarted = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> starts = new ConcurrentLinkedQueue<>();
        AtomicReference<Thread> busyThread = new AtomicReference<>();
        AtomicReference<Thread> criticalThread = new AtomicReference<>();

        // One worker is held by the blocker; the other runs the busy task, which queues BACKGROUND
        // tasks and a CRITICAL one on itself, frees the blocker's worker, and stays busy until
        // that worker, idle now, has stolen and started the CRITICAL task.
        runtime.spawn(blockUntil(blockerStarted, releaseBlocker));
        awaitOrFail(blockerStarted, "the blocker to hold a worker");
        JoinHandle<Void> busy = runtime.spawn(cx -> {
            busyThread.set(Thread.currentThread());
            for (int i = 0; i < 10; i++) {
                int id = i;
                Async.spawn(TaskOptions.priority(Priority.BACKGROUND), c -> {
                    starts.add("background " + id);
                    return Poll.ready(null);
                });
            }
            Async.spawn(TaskOptions.priority(Priority.CRITICAL), c -> {
                criticalThread.set(Thread.currentThread());
                starts.add("critical");
                criticalStarted.countDown();
                return Poll.ready(null);
            });
            releaseBlocker.countDown();
            awaitOrFail(criticalStarted, "the CRITICAL task to be stolen");
            return Poll.ready(null);
        });
        busy.join();
        Await.until("every task ran", () -> starts.size() == 11);

        assertThat(criticalThread.get()).as("the CRITICAL task ran on the idle worker")
                .isNotSameAs(busyThread.get());
        assertThat(starts.peek()).isEqualTo("critical");
        runtime.close();
    }

    @Test
    void aWokenLowPriorityTask_doesNotJumpAQueuedCriticalOne_throughTheLifoSlot() {
        AsyncRuntime runtime =
                AsyncRuntime.builder().workerThreads(1).starvationThreshold(NO_AGING).build();
        ConcurrentLinkedQueue<String> starts = new ConcurrentLinkedQueue<>();
        Latch latch = new Latch();
        JoinHandle<Void> waiting = runtime.spawn(TaskOptions.priority(Priority.BACKGROUND),
                latch.map(v -> {
                    starts.add("woken background");
                    return null;
                }));
        Await.until("the BACKGROUND task to wait on its latch",
                () -> runtime.metrics().polls() >= 1);
        // On the worker: queue a CRITICAL task, then wake the BACKGROUND one, which takes the
        // LIFO slot: it must not run before the CRITICAL task.
        runtime.spawn(cx -> {
            Async.spawn(TaskOptions.priority(Priority.CRITICAL), c -> {
                starts.add("critical");
                return Poll.ready(null);
            });
            latch.open();
            return Poll.ready(null);
        }).join();
        waiting.join();
        Await.until("both ran", () -> starts.size() == 2);
        assertThat(starts).containsExactly("critical", "woken background");
        runtime.close();
    }

    /** Two workers, each with CRITICAL tasks that never stop yielding in its own queue. */
    private static AsyncRuntime saturatedByYieldingCriticalTasks(StarvationScenario scenario) {
        AsyncRuntime runtime = scenario.configure(AsyncRuntime.builder().workerThreads(2)).build();
        for (int i = 0; i < 4; i++) {
            runtime.spawn(TaskOptions.priority(Priority.CRITICAL), scenario.yieldingCritical());
        }
        // Once a worker polled one, it always has one queued: neither worker is idle again, so
        // neither would run a BACKGROUND task for want of anything more urgent.
        Await.until("both workers to run CRITICAL tasks", () -> scenario.criticalThreads() == 2);
        return runtime;
    }

    @Test
    void backgroundFromOutside_waitsWhileTheClockStandsStill_thenRuns() {
        StarvationScenario scenario = new StarvationScenario();
        AsyncRuntime runtime = saturatedByYieldingCriticalTasks(scenario);
        scenario.queueBackground(runtime::spawn).join(); // it waits in the global queue
        scenario.assertWaitedWhileTheClockStoodStill_thenStartedWithin(1);
        runtime.close();
    }

    @Test
    void backgroundFromAWorker_waitsWhileTheClockStandsStill_thenRuns() {
        StarvationScenario scenario = new StarvationScenario();
        AsyncRuntime runtime = saturatedByYieldingCriticalTasks(scenario);
        // From inside a CRITICAL task: the BACKGROUND task waits in that worker's own queue.
        JoinHandle<JoinHandle<Void>> spawner = runtime.spawn(
                TaskOptions.priority(Priority.CRITICAL),
                cx -> Poll.ready(scenario.queueBackground(Async::spawn)));
        spawner.join().join();
        scenario.assertWaitedWhileTheClockStoodStill_thenStartedWithin(1);
        runtime.close();
    }

    @Test
    void metrics_countQueuedStartedAndLateTasksPerPriority() {
        AsyncRuntime runtime =
                AsyncRuntime.builder().workerThreads(1).starvationThreshold(NO_AGING).build();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        runtime.spawn(blockUntil(blocked, release));
        awaitOrFail(blocked, "the worker to be busy");
        List<JoinHandle<Integer>> handles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            handles.add(runtime.spawn(TaskOptions.priority(Priority.HIGH), Async.ready(i)));
        }
        handles.add(runtime.spawn(TaskOptions.priority(Priority.BACKGROUND).deadline(Instant.EPOCH),
                Async.ready(0)));
        assertThat(runtime.metrics().priority(Priority.HIGH).queued()).isEqualTo(4);
        assertThat(runtime.metrics().priority(Priority.BACKGROUND).queued()).isEqualTo(1);

        release.countDown();
        handles.forEach(JoinHandle::join);
        Await.until("the worker to publish its counts",
                () -> runtime.metrics().priority(Priority.NORMAL).started() == 1);
        RuntimeMetrics m = runtime.metrics();
        assertThat(m.priority(Priority.HIGH))
                .isEqualTo(new RuntimeMetrics.PriorityMetrics(Priority.HIGH, 0, 4, 0));
        assertThat(m.priority(Priority.BACKGROUND))
                .isEqualTo(new RuntimeMetrics.PriorityMetrics(Priority.BACKGROUND, 0, 1, 1));
        runtime.close();
    }
}
