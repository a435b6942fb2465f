package dev.weft.sched;

import static dev.weft.Scenario.check;
import static dev.weft.Scenario.join;

import dev.weft.Async;
import dev.weft.JoinHandle;
import dev.weft.Latch;
import dev.weft.Priority;
import dev.weft.RuntimeState;
import dev.weft.TaskOptions;
import dev.weft.runtime.RuntimeConfig;
import dev.weft.task.Task;
import dev.weft.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The multi-thread runtime's races, model-checked with {@code Lincheck.runConcurrentTest} in the
 * style of Tokio's loom suite: spawn racing shutdown, a task starting to wait racing a forced
 * shutdown, a wake racing a steal, and parking racing new work.
 *
 * <p>The runtime is built without its threads: each scenario's threads drive the real workers'
 * steps ({@link Worker#runOnce()}, {@link Worker#prepareToPark()}), so Lincheck explores the
 * interleavings of the scheduler's own code rather than of idle loops that never end. Lincheck
 * lets {@code LockSupport.park} return spuriously, so a lost unpark is checked as state instead:
 * after the race, a task still queued must have a worker picked to come for it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MultiThreadRaceScenariosTest {

    private static final int INTERLEAVINGS = 200;

    private static final TaskOptions OPTIONS = TaskOptions.priority(Priority.NORMAL);

    private static MultiThreadRuntime runtime(int workers, boolean workStealing) {
        RuntimeConfig config = new RuntimeConfig(workers, "weft-race-", 0, Integer.MAX_VALUE,
                workStealing, true, Duration.ofMillis(100), Duration.ofSeconds(10), 4,
                Duration.ofSeconds(10), () -> { }, () -> { },
                Clock.system(), null, 100, Duration.ZERO);
        return new MultiThreadRuntime(config, false);
    }

    /** Runs every worker until none finds work, with a bound. */
    private static void drain(MultiThreadRuntime runtime) {
        for (int step = 0; step < 20; step++) {
            boolean any = false;
            for (Worker w : runtime.workers) {
                any |= w.runOnce();
            }
            if (!any) {
                return;
            }
        }
        throw new AssertionError("the workers still find work after 20 rounds");
    }

    private static boolean someWorkerAwake(MultiThreadRuntime runtime) {
        for (Worker w : runtime.workers) {
            if (!runtime.idle.isParked(w.index)) {
                return true;
            }
        }
        return false;
    }

    private static boolean workQueued(MultiThreadRuntime runtime) {
        for (Worker w : runtime.workers) {
            if (w.hasWork()) {
                return true;
            }
        }
        return !runtime.inject.isEmpty();
    }

    private static void parkingRacingASpawn(boolean workStealing) {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            MultiThreadRuntime runtime = runtime(1, workStealing);
            Worker worker = runtime.workers[0];
            Thread workerThread = new Thread(() -> {
                if (!worker.runOnce()) {
                    worker.prepareToPark();
                }
            });
            Thread spawner = new Thread(() -> runtime.spawn(OPTIONS, Async.ready(1)));
            workerThread.start();
            spawner.start();
            join(workerThread, spawner);
            check(!workQueued(runtime) || someWorkerAwake(runtime),
                    "a task is queued while every worker is parked and none was picked to wake");
        });
    }

    @Test
    void parking_racingASpawnFromOutside_leavesAWorkerForIt() {
        parkingRacingASpawn(true);
    }

    @Test
    void parking_racingASpawnFromOutside_withoutStealing_leavesAWorkerForIt() {
        parkingRacingASpawn(false);
    }

    @Test
    void wake_racingASteal_pollsTheTaskAgain() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            MultiThreadRuntime runtime = runtime(2, true);
            Latch latch = new Latch();
            Task<Void> task = runtime.spawn(OPTIONS, latch);
            // Move it from the global queue to worker 0's queue, where worker 1 steals it.
            check(runtime.inject.pop() == task, "the spawn went to the global queue");
            runtime.workers[0].queue.push(task);
            Thread thief = new Thread(() -> runtime.workers[1].runOnce());
            Thread opener = new Thread(latch::open);
            thief.start();
            opener.start();
            join(thief, opener);
            drain(runtime);
            check(task.isDone(), "the wake was lost: the task never saw its latch open");
        });
    }

    @Test
    void spawn_racingShutdown_isRefusedOrCancelled_andTheRuntimeTerminates() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            MultiThreadRuntime runtime = runtime(1, true);
            AtomicReference<JoinHandle<Void>> spawned = new AtomicReference<>();
            AtomicBoolean refused = new AtomicBoolean();
            Thread spawner = new Thread(() -> {
                try {
                    spawned.set(runtime.spawn(OPTIONS, new Latch()));
                } catch (RejectedExecutionException e) {
                    refused.set(true);
                }
            });
            Thread stopper = new Thread(() -> runtime.shutdown(Duration.ZERO));
            spawner.start();
            stopper.start();
            join(spawner, stopper);
            JoinHandle<Void> handle = spawned.get();
            check(refused.get() != (handle != null), "a spawn must be either refused or accepted");
            check(handle == null || handle.isDone(),
                    "an accepted task was neither run nor cancelled");
            check(runtime.stopping(), "drained, yet the workers were not told to stop");
            // the worker's thread: it sees stopping and leaves
            runtime.runWorker(runtime.workers[0]);
            check(runtime.state() == RuntimeState.TERMINATED, "not terminated: " + runtime.state());
        });
    }
    @Test
    void aTaskAboutToWait_racingAForcedShutdown_isCancelled_andTheRuntimeTerminates() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            MultiThreadRuntime runtime = runtime(1, true);
            // pending forever once polled
            JoinHandle<Void> waiting = runtime.spawn(OPTIONS, new Latch());
            Thread worker = new Thread(() -> runtime.workers[0].runOnce());
            Thread stopper = new Thread(() -> runtime.shutdown(Duration.ZERO));
            worker.start();
            stopper.start();
            join(worker, stopper);
            check(waiting.isDone(),
                    "a task that started waiting during the shutdown was left waiting");
            check(runtime.stopping(), "drained, yet the workers were not told to stop");
            runtime.runWorker(runtime.workers[0]);
            check(runtime.state() == RuntimeState.TERMINATED, "not terminated: " + runtime.state());
        });
    }
}
