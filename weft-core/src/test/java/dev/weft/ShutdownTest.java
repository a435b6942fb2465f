package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Lifecycle and shutdown of the current-thread runtime. */
class ShutdownTest {

    private final AsyncRuntime runtime = AsyncRuntime.currentThread().build();

    @Test
    void shutdown_whenTasksEndInTheGracePeriod_returnsTrue() {
        JoinHandle<Integer> h =
                runtime.spawn(Async.yieldNow().then(v -> Async.yieldNow()).map(v -> 3));
        assertThat(runtime.shutdown(Duration.ofSeconds(30))).isTrue();
        assertThat(runtime.state()).isEqualTo(RuntimeState.TERMINATED);
        assertThat(h.join()).isEqualTo(3);
        assertThat(runtime.metrics().tasksCompleted()).isEqualTo(1);
    }

    @Test
    void shutdown_cancelsTasksStillLiveAtTheTimeout_andReturnsFalse() {
        JoinHandle<Void> stuck = runtime.spawn(new Latch());
        JoinHandle<Integer> quick = runtime.spawn(Async.ready(1));
        assertThat(runtime.shutdown(Duration.ZERO)).isFalse();
        assertThat(stuck.isDone()).isTrue();
        assertThatThrownBy(stuck::join).isInstanceOf(TaskCancelledException.class);
        assertThat(quick.join()).as("a ready task still ran in the zero grace period").isEqualTo(1);
        assertThat(runtime.metrics().tasksCancelled()).isEqualTo(1);
        assertThat(runtime.metrics().liveTasks()).isZero();
    }

    @Test
    void spawn_afterShutdown_isRejectedNamingTheState() {
        runtime.shutdown(Duration.ZERO);
        assertThatThrownBy(() -> runtime.spawn(Async.ready(1)))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("TERMINATED");
        assertThatThrownBy(() -> runtime.blockOn(Async.ready(1)))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("TERMINATED");
        assertThat(runtime.metrics().tasksRejected()).isEqualTo(1);
    }

    @Test
    void spawn_duringTheGracePeriod_isRejectedNamingShuttingDown() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        runtime.spawn(Async.yieldNow().map(v -> {
            try {
                Async.spawn(Async.ready(1));
            } catch (Throwable e) {
                refused.set(e);
            }
            return null;
        }));
        runtime.shutdown(Duration.ofSeconds(30));
        assertThat(refused.get()).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("SHUTTING_DOWN");
    }

    @Test
    void shutdownTwice_andCloseAfterShutdown_returnTheFirstResult() {
        runtime.spawn(new Latch());
        assertThat(runtime.shutdown(Duration.ZERO)).isFalse();
        assertThat(runtime.shutdown(Duration.ZERO)).isFalse();
        runtime.close();
        assertThat(runtime.state()).isEqualTo(RuntimeState.TERMINATED);
    }

    @Test
    void shutdown_fromInsideATask_isRefused() {
        JoinHandle<Boolean> h = runtime.spawn(cx -> Poll.ready(runtime.shutdown(Duration.ZERO)));
        assertThatThrownBy(() -> runtime.blockOn(h)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wait for itself");
        assertThat(runtime.state()).isEqualTo(RuntimeState.RUNNING);
        runtime.shutdown(Duration.ZERO);
    }

    @Test
    void shutdown_negativeTimeout_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> runtime.shutdown(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
        runtime.shutdown(Duration.ZERO);
    }

    @Test
    void shutdownFromAnotherThread_releasesTheOwnerBlockedInBlockOn() {
        AtomicReference<Throwable> ownerOutcome = new AtomicReference<>();
        Thread owner = Await.thread("owner", () -> {
            try {
                runtime.blockOn(new Latch()); // never opened
            } catch (Throwable e) {
                ownerOutcome.set(e);
            }
        });
        Await.until("the owner to park", () -> runtime.metrics().workers().get(0).parks() > 0);
        assertThat(runtime.shutdown(Duration.ZERO)).as("no task was live").isTrue();
        Await.join(owner);
        assertThat(ownerOutcome.get()).isInstanceOf(TaskCancelledException.class)
                .hasMessageContaining("shut down");
    }

    @Test
    void shutdownFromAnotherThread_letsTheOwnerFinishLiveTasks() {
        Latch release = new Latch();
        JoinHandle<String> task = runtime.spawn(release.map(v -> "finished"));
        AtomicReference<Object> ownerOutcome = new AtomicReference<>();
        Thread owner = Await.thread("owner", () -> {
            try {
                ownerOutcome.set(runtime.blockOn(task));
            } catch (Throwable e) {
                ownerOutcome.set(e);
            }
        });
        Await.until("the owner to park", () -> runtime.metrics().workers().get(0).parks() > 0);
        AtomicReference<Boolean> clean = new AtomicReference<>();
        Thread stopper =
                Await.thread("stopper", () -> clean.set(runtime.shutdown(Duration.ofSeconds(30))));
        Await.until("shutdown to begin", () -> runtime.state() == RuntimeState.SHUTTING_DOWN);
        release.open();
        Await.join(stopper);
        Await.join(owner);
        assertThat(clean.get()).isTrue();
        assertThat(ownerOutcome.get()).isEqualTo("finished");
    }

    @Test
    void close_usesTheBuildersShutdownTimeout() {
        AsyncRuntime rt = AsyncRuntime.currentThread().shutdownTimeout(Duration.ZERO).build();
        JoinHandle<Void> stuck = rt.spawn(new Latch());
        rt.close();
        assertThat(stuck.isDone()).isTrue();
        assertThat(rt.state()).isEqualTo(RuntimeState.TERMINATED);
    }
}
