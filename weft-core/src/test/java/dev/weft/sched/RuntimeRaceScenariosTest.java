package dev.weft.sched;

import static dev.weft.Scenario.check;
import static dev.weft.Scenario.join;

import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import dev.weft.Latch;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races between the runtime's threads, model-checked by {@code Lincheck.runConcurrentTest}.
 *
 * <p>Lincheck lets {@code LockSupport.park} return spuriously, so a lost unpark does not show up
 * here as a hang: {@link ThreadParkerTest} catches that with a ping-pong that would stall.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RuntimeRaceScenariosTest {

    private static final int INTERLEAVINGS = 200;

    /**
     * A current-thread runtime without the long-poll watch, whose thread would be one more for
     * the model checker to interleave, and none of these races.
     */
    private static AsyncRuntime unwatched() {
        return AsyncRuntime.currentThread().longPollThreshold(Duration.ZERO).build();
    }

    @Test
    void foreignWake_racingTheOwnersPark_reachesTheOwner() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            AsyncRuntime runtime = unwatched();
            Latch gate = new Latch();
            JoinHandle<Void> task = runtime.spawn(gate);
            Thread owner = new Thread(() -> runtime.blockOn(task));
            Thread waker = new Thread(gate::open);
            owner.start();
            waker.start();
            join(owner, waker);
            check(task.isDone(), "the task did not end");
        });
    }

    @Test
    void spawn_racingShutdown_isRefusedOrRunsOrIsCancelled() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            AsyncRuntime runtime = unwatched();
            AtomicReference<JoinHandle<Void>> spawned = new AtomicReference<>();
            AtomicBoolean refused = new AtomicBoolean();
            Thread spawner = new Thread(() -> {
                try {
                    spawned.set(runtime.spawn(new Latch()));
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
                    "a task accepted before shutdown was neither run nor cancelled");
            check(runtime.metrics().liveTasks() == 0, "live tasks after shutdown");
        });
    }
}
