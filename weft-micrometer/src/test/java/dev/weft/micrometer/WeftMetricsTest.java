package dev.weft.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.TaskOptions;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class WeftMetricsTest {

    @Test
    void theMeters_followWhatTheRuntimeDid() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            new WeftMetrics(runtime, "orders", Tags.of("app", "shop"), Duration.ZERO)
                    .bindTo(registry);
            JoinHandle<Void> sleeping = runtime.spawn(Async.sleep(Duration.ofHours(1)));
            awaitAtLeast(() -> gauge(registry, "weft.timers.pending"), 1);
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = i;
                handles.add(runtime.spawn(TaskOptions.priority(Priority.HIGH),
                        cx -> Poll.ready(n)));
            }
            JoinHandle<Integer> failing = runtime.spawn(cx -> {
                throw new IllegalStateException("planned");
            });
            for (JoinHandle<Integer> h : handles) {
                runtime.blockOn(h);
            }
            assertThatThrownBy(() -> runtime.blockOn(failing))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(sleeping.abort()).isTrue();

            // The counts trail a completed handle by a moment.
            awaitAtLeast(() -> counter(registry, "executor.completed"), 502);
            assertThat(counter(registry, "executor.completed")).isEqualTo(502);
            assertThat(counter(registry, "weft.tasks.spawned")).isEqualTo(502);
            assertThat(counter(registry, "weft.tasks.completed")).isEqualTo(500);
            assertThat(counter(registry, "weft.tasks.failed")).isEqualTo(1);
            assertThat(counter(registry, "weft.tasks.cancelled")).isEqualTo(1);
            assertThat(gauge(registry, "weft.tasks.live")).isZero();
            assertThat(gauge(registry, "executor.pool.size")).isEqualTo(2);
            assertThat(registry.get("weft.priority.started").tag("priority", "high")
                    .functionCounter().count()).isEqualTo(500);
            assertThat(registry.get("weft.worker.polls").tag("worker", "0").functionCounter()
                    .count() + registry.get("weft.worker.polls").tag("worker", "1")
                    .functionCounter().count()).isEqualTo(counter(registry, "weft.polls"));
            assertThat(counter(registry, "weft.timers.cancelled")).isEqualTo(1);
            assertThat(registry.get("weft.poll.time.percentile").tag("phi", "0.99").gauge()
                    .value()).isPositive();
            for (Meter meter : registry.getMeters()) {
                assertThat(meter.getId().getTag("name")).as(meter.getId().toString())
                        .isEqualTo("orders");
                assertThat(meter.getId().getTag("app")).isEqualTo("shop");
            }
        }
    }

    @Test
    void oneSnapshot_servesEveryMeterWithinTheRefresh() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            new WeftMetrics(runtime, "cached", Tags.empty(), Duration.ofHours(1))
                    .bindTo(registry);
            double before = counter(registry, "weft.tasks.spawned");
            runtime.blockOn(runtime.spawn(Async.ready(1)));
            assertThat(counter(registry, "weft.tasks.spawned"))
                    .as("read from the snapshot of the first read").isEqualTo(before);
        }
    }

    @Test
    void badArguments_areRefusedNamingThem() {
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            assertThatThrownBy(() -> new WeftMetrics(runtime, "x", Tags.empty(),
                    Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refresh").hasMessageContaining("PT-0.001S");
            assertThatThrownBy(() -> new WeftMetrics(null, "x"))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("runtime");
            assertThatThrownBy(() -> new WeftMetrics(runtime, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        }
    }

    /** Waits, at most 10 s, for a meter to reach {@code target}. */
    private static void awaitAtLeast(DoubleSupplier meter, double target) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (meter.getAsDouble() < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the meter stayed at " + meter.getAsDouble()
                        + ", below " + target);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private static double counter(SimpleMeterRegistry registry, String name) {
        return registry.get(name).functionCounter().count();
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
