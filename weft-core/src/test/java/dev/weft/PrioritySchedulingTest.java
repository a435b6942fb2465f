package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Priorities, deadlines and starvation prevention on the current-thread runtime, where order is
 * exact.
 */
class PrioritySchedulingTest {

    /** Long enough that no task of these tests ages, however slow the machine. */
    private static final Duration NO_AGING = Duration.ofHours(1);

    private record Spawned(int id, Priority priority, Instant deadline) {
    }

    /** The documented order: priority, then deadline tasks first by deadline, then spawn order. */
    private static final Comparator<Spawned> DOCUMENTED_ORDER = Comparator
            .comparing(Spawned::priority)
            .thenComparing(s -> s.deadline() == null)
            .thenComparing(s -> s.deadline() == null ? Instant.MIN : s.deadline())
            .thenComparingInt(Spawned::id);

    private static Future<Void> recording(List<Integer> order, int id) {
        return cx -> {
            order.add(id);
            return Poll.ready(null);
        };
    }

    @Test
    void thousandQueuedTasks_runByPriorityThenDeadlineThenSpawnOrder() {
        AsyncRuntime runtime = AsyncRuntime.currentThread().starvationThreshold(NO_AGING).build();
        Random random = new Random(42);
        Instant base = Instant.parse("2030-01-01T00:00:00Z");
        Priority[] priorities = Priority.values();
        List<Spawned> spawned = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int id = 0; id < 1000; id++) {
            Priority p = priorities[random.nextInt(priorities.length)];
            // A third without a deadline; the others among 20 instants, so ties are common.
            Instant deadline = random.nextInt(3) == 0 ? null : base.plusMillis(random.nextInt(20));
            TaskOptions options = TaskOptions.priority(p);
            if (deadline != null) {
                options = options.deadline(deadline);
            }
            spawned.add(new Spawned(id, p, deadline));
            runtime.spawn(options, recording(order, id));
        }

        assertThat(runtime.runUntilStalled()).isEqualTo(1000);

        List<Integer> expected =
                spawned.stream().sorted(DOCUMENTED_ORDER).map(Spawned::id).toList();
        assertThat(order).containsExactlyElementsOf(expected);
        runtime.close();
    }

    @Test
    void aWokenTask_keepsItsPriority() {
        AsyncRuntime runtime = AsyncRuntime.currentThread().starvationThreshold(NO_AGING).build();
        List<String> order = new ArrayList<>();
        // A CRITICAL task that yields once goes back among the CRITICAL tasks, ahead of LOW ones
        // that were queued before it was woken.
        runtime.spawn(TaskOptions.priority(Priority.CRITICAL), new Future<Void>() {
            boolean yielded;

            @Override
            public Poll<Void> poll(Context cx) {
                order.add(yielded ? "critical, after its yield" : "critical");
                if (!yielded) {
                    yielded = true;
                    cx.waker().wake();
                    return Poll.pending();
                }
                return Poll.ready(null);
            }
        });
        for (int i = 0; i < 3; i++) {
            int id = i;
            runtime.spawn(TaskOptions.priority(Priority.LOW), cx -> {
                order.add("low " + id);
                return Poll.ready(null);
            });
        }
        runtime.runUntilStalled();
        assertThat(order).containsExactly(
                "critical", "critical, after its yield", "low 0", "low 1", "low 2");
        runtime.close();
    }

    @Test
    void withPrioritySchedulingOff_tasksRunInSpawnOrder() {
        AsyncRuntime runtime = AsyncRuntime.currentThread().priorityScheduling(false).build();
        List<Integer> order = new ArrayList<>();
        Priority[] priorities = Priority.values();
        for (int id = 0; id < 100; id++) {
            runtime.spawn(TaskOptions.priority(priorities[id % priorities.length])
                    .deadline(Instant.EPOCH.plusSeconds(100 - id)),
                    recording(order, id));
        }
        runtime.runUntilStalled();
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        runtime.close();
    }

    @Test
    void background_behindEndlessCriticalYields_waitsForTheClock_thenRunsNext() {
        StarvationScenario scenario = new StarvationScenario();
        AsyncRuntime runtime = scenario.configure(AsyncRuntime.currentThread()).build();
        runtime.spawn(TaskOptions.priority(Priority.CRITICAL), scenario.yieldingCritical());
        runtime.spawn(TaskOptions.priority(Priority.CRITICAL), scenario.yieldingCritical());
        JoinHandle<Void> background = scenario.queueBackground(runtime::spawn);

        runtime.blockOn(background);

        // The order is exact here: the pick after the clock moved takes the starved task.
        scenario.assertWaitedWhileTheClockStoodStill_thenStartedWithin(0);
        runtime.close();
    }

    @Test
    void deadlineMissed_isJudgedByTheRuntimesClock() {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        AsyncRuntime runtime = AsyncRuntime.currentThread().clock(clock).build();
        Instant inASecond = clock.instant().plusSeconds(1);
        runtime.spawn(TaskOptions.priority(Priority.HIGH).deadline(inASecond), Async.ready(0));
        runtime.runUntilStalled();
        assertThat(runtime.metrics().priority(Priority.HIGH).startedAfterDeadline())
                .as("started before the runtime's clock reached its deadline, whatever the wall "
                        + "clock says").isZero();

        runtime.spawn(TaskOptions.priority(Priority.HIGH).deadline(inASecond), Async.ready(0));
        clock.advance(Duration.ofSeconds(2));
        runtime.runUntilStalled();
        assertThat(runtime.metrics().priority(Priority.HIGH).startedAfterDeadline()).isEqualTo(1);
        runtime.close();
    }

    @Test
    void metrics_countQueuedStartedAndLateTasksPerPriority() {
        AsyncRuntime runtime = AsyncRuntime.currentThread().starvationThreshold(NO_AGING).build();
        RuntimeMetrics queued = runtime.blockOn(cx -> {
            for (int i = 0; i < 3; i++) {
                Async.spawn(TaskOptions.priority(Priority.HIGH), Async.ready(i));
            }
            // long past
            Async.spawn(TaskOptions.priority(Priority.LOW).deadline(Instant.EPOCH), Async.ready(0));
            Async.spawn(TaskOptions.priority(Priority.LOW)
                    .deadline(Instant.now().plusSeconds(3600)), Async.ready(0));
            return Poll.ready(Async.current().metrics());
        });
        assertThat(queued.priority(Priority.HIGH).queued()).isEqualTo(3);
        assertThat(queued.priority(Priority.LOW).queued()).isEqualTo(2);
        assertThat(queued.priority(Priority.CRITICAL).queued()).isZero();

        runtime.runUntilStalled();

        RuntimeMetrics ran = runtime.metrics();
        assertThat(ran.priorities()).extracting(RuntimeMetrics.PriorityMetrics::priority)
                .containsExactly(Priority.values());
        assertThat(ran.priority(Priority.HIGH))
                .isEqualTo(new RuntimeMetrics.PriorityMetrics(Priority.HIGH, 0, 3, 0));
        assertThat(ran.priority(Priority.LOW))
                .isEqualTo(new RuntimeMetrics.PriorityMetrics(Priority.LOW, 0, 2, 1));
        assertThat(ran.priority(Priority.NORMAL).started()).isZero();
        runtime.close();
    }

    @Test
    void metrics_withPrioritySchedulingOff_countStartsButNotQueuedPerPriority() {
        AsyncRuntime runtime = AsyncRuntime.currentThread().priorityScheduling(false).build();
        runtime.spawn(TaskOptions.priority(Priority.CRITICAL), Async.ready(1));
        runtime.runUntilStalled();
        RuntimeMetrics m = runtime.metrics();
        assertThat(m.priority(Priority.CRITICAL).started()).isEqualTo(1);
        assertThat(m.priorities()).allSatisfy(p -> assertThat(p.queued()).isEqualTo(-1));
        runtime.close();
    }

    @Test
    void tasksSpawnedByTheOwnerAfterAnIdleSpell_doNotPassForStarved() {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        Duration threshold = Duration.ofMillis(200);
        AsyncRuntime runtime =
                AsyncRuntime.currentThread().clock(clock).starvationThreshold(threshold).build();
        runtime.runUntilStalled(); // this thread now owns the runtime
        clock.advance(threshold.multipliedBy(2)); // an idle spell longer than the threshold
        List<String> order = new ArrayList<>();
        runtime.spawn(TaskOptions.priority(Priority.HIGH), cx -> {
            order.add("high");
            return Poll.ready(null);
        });
        runtime.spawn(TaskOptions.priority(Priority.LOW), cx -> {
            order.add("low");
            return Poll.ready(null);
        });
        runtime.runUntilStalled();
        assertThat(order).containsExactly("high", "low");
        runtime.close();
    }
}
