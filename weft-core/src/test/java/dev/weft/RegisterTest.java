package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resources registered with a runtime are closed at its shutdown, after the tasks, newest first,
 * each once; a close that throws or hangs is reported and neither stops the others nor holds the
 * shutdown past its timeout. On both runtimes.
 */
class RegisterTest {

    private LogCapture log;

    @BeforeEach
    void listen() {
        log = LogCapture.of("dev.weft.sched.Registered");
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    private static AsyncRuntime runtime(String kind) {
        return kind.equals("multi") ? AsyncRuntime.builder().workerThreads(2).build()
                : AsyncRuntime.currentThread().build();
    }

    /** A resource that records its closes, and may throw or wait for a gate first. */
    private static class Resource implements AsyncCloseable {
        private final String name;
        private final List<String> closes;
        private final CountDownLatch gate;
        private final boolean fails;
        private final CountDownLatch closed = new CountDownLatch(1);

        Resource(String name, List<String> closes) {
            this(name, closes, null, false);
        }

        Resource(String name, List<String> closes, CountDownLatch gate, boolean fails) {
            this.name = name;
            this.closes = closes;
            this.gate = gate;
            this.fails = fails;
        }

        @Override
        public void close() {
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            closes.add(name);
            closed.countDown();
            if (fails) {
                throw new IllegalStateException(name + " failed to close");
            }
        }

        @Override
        public Future<Void> closeAsync() {
            close();
            return Async.ready(null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi", "current"})
    void registeredResources_closeAfterTheTasks_newestFirst_once(String kind) {
        List<String> closes = new CopyOnWriteArrayList<>();
        AsyncRuntime runtime = runtime(kind);
        Resource pool = new Resource("pool", closes);
        runtime.register(pool);
        runtime.register(new Resource("listener", closes));
        runtime.register(pool); // again: it stays where it was, and closes once
        JoinHandle<String> task = runtime.spawn(Async.sleep(Duration.ofMillis(1)).map(v -> {
            closes.add("task ended");
            return "done";
        }));
        runtime.register(new Resource("connection", closes));
        assertThat(runtime.blockOn(task)).isEqualTo("done");
        assertThat(runtime.shutdown(Duration.ofSeconds(5))).isTrue();
        assertThat(closes).containsExactly("task ended", "connection", "listener", "pool");
        runtime.shutdown(Duration.ofSeconds(5)); // again: nothing closes twice
        assertThat(closes).hasSize(4);
        assertThat(log.records()).isEmpty();
        assertThatThrownBy(() -> runtime.register(new Resource("late", closes)))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("register refused").hasMessageContaining("late");
        assertThatThrownBy(() -> runtime.register(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("resource");
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi", "current"})
    void aCloseThatThrows_isReported_andTheOthersStillClose(String kind) {
        List<String> closes = new CopyOnWriteArrayList<>();
        AsyncRuntime runtime = runtime(kind);
        runtime.register(new Resource("first", closes));
        runtime.register(new Resource("broken", closes, null, true));
        runtime.register(new Resource("last", closes));
        runtime.shutdown(Duration.ofSeconds(5));
        assertThat(closes).containsExactly("last", "broken", "first");
        assertThat(log.records()).hasSize(1);
        assertThat(log.records().get(0).getLevel()).isEqualTo(Level.SEVERE);
        assertThat(log.records().get(0).getMessage()).contains("closing broken at the runtime's "
                + "shutdown failed");
        assertThat(log.records().get(0).getThrown()).hasMessage("broken failed to close");
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi", "current"})
    void aResourceWhoseToStringThrowsToo_isReported_andTheOthersStillClose(String kind) {
        List<String> closes = new CopyOnWriteArrayList<>();
        AsyncRuntime runtime = runtime(kind);
        runtime.register(new Resource("first", closes));
        runtime.register(new Resource("nameless", closes, null, true) {
            @Override
            public String toString() {
                throw new IllegalStateException("cannot even say what it is");
            }
        });
        runtime.shutdown(Duration.ofSeconds(5));
        assertThat(closes).containsExactly("nameless", "first");
        assertThat(log.records()).hasSize(1);
        assertThat(log.records().get(0).getMessage()).contains("RegisterTest$")
                .contains("at the runtime's shutdown failed");
    }

    @Test
    void aRuntimeStuckInAPoll_reportsItsResourcesWaiting_andClosesThemWhenItTerminates()
            throws InterruptedException {
        List<String> closes = new CopyOnWriteArrayList<>();
        AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
        CountDownLatch polling = new CountDownLatch(1);
        CountDownLatch unstick = new CountDownLatch(1);
        runtime.spawn(cx -> {
            polling.countDown();
            try {
                unstick.await(); // a poll that blocks: the worker is stuck in it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Poll.ready(null);
        });
        assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();
        Resource held = new Resource("held", closes);
        runtime.register(held);
        assertThat(runtime.shutdown(Duration.ofMillis(50))).isFalse();
        assertThat(closes).isEmpty();
        assertThat(log.records()).hasSize(1);
        assertThat(log.records().get(0).getMessage()).contains("did not terminate")
                .contains("1 registered resource(s) close when it does");
        unstick.countDown();
        assertThat(held.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(closes).containsExactly("held");
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi", "current"})
    void aCloseThatHangs_doesNotHoldTheShutdown_andIsReported(String kind)
            throws InterruptedException {
        List<String> closes = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        AsyncRuntime runtime = runtime(kind);
        Resource older = new Resource("older", closes);
        runtime.register(older);
        runtime.register(new Resource("stuck", closes, gate, false));
        assertThat(runtime.shutdown(Duration.ofMillis(50))).isTrue(); // returns: not held
        assertThat(closes).isEmpty();
        assertThat(log.records()).hasSize(1);
        assertThat(log.records().get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(log.records().get(0).getMessage()).contains("closing stuck")
                .contains("did not end in time").contains("the 1 resource(s) after it");
        gate.countDown(); // the close ends after all, and the closer goes on to the older one
        assertThat(older.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(closes).containsExactly("stuck", "older");
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi", "current"})
    void theExecutorViewsShutdown_closesThemToo(String kind) throws InterruptedException {
        List<String> closes = new CopyOnWriteArrayList<>();
        AsyncRuntime runtime = runtime(kind);
        Resource resource = new Resource("view", closes);
        runtime.register(resource);
        ExecutorService view = runtime.asExecutorService();
        view.shutdown();
        assertThat(view.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resource.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(closes).containsExactly("view");
    }
}
