package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every builder option refuses a bad value when set, naming the option and the value. */
class BuilderValidationTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE, 0x8000})
    void workerThreads_outOfRange(int n) {
        assertThatThrownBy(() -> AsyncRuntime.builder().workerThreads(n))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workerThreads").hasMessageContaining(String.valueOf(n));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void maxQueueSize_belowOne(int n) {
        assertThatThrownBy(() -> AsyncRuntime.currentThread().maxQueueSize(n))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxQueueSize").hasMessageContaining(String.valueOf(n));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void threadStackSize_belowOne(long n) {
        assertThatThrownBy(() -> AsyncRuntime.builder().threadStackSize(n))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threadStackSize").hasMessageContaining(String.valueOf(n));
    }

    @Test
    void threadNamePrefix_blankOrNull() {
        assertThatThrownBy(() -> AsyncRuntime.builder().threadNamePrefix("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threadNamePrefix");
        assertThatThrownBy(() -> AsyncRuntime.builder().threadNamePrefix(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("threadNamePrefix");
    }

    @Test
    void durations_negativeOrNull() {
        assertThatThrownBy(() -> AsyncRuntime.currentThread()
                        .shutdownTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shutdownTimeout").hasMessageContaining("PT-0.005S");
        assertThatThrownBy(() -> AsyncRuntime.currentThread()
                        .starvationThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starvationThreshold");
        assertThatThrownBy(() -> AsyncRuntime.builder()
                        .longPollThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longPollThreshold").hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> AsyncRuntime.builder()
                        .longPollThreshold(Duration.ofNanos(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longPollThreshold").hasMessageContaining("PT0.000000001S");
        assertThatThrownBy(() -> AsyncRuntime.currentThread().shutdownTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("shutdownTimeout");
    }

    @Test
    void zeroDurations_areAccepted() {
        AsyncRuntime.Builder b = AsyncRuntime.currentThread().shutdownTimeout(Duration.ZERO)
                .starvationThreshold(Duration.ZERO);
        assertThat(b).isNotNull();
    }

    @Test
    void workerOptions_onACurrentThreadBuilder_areRefused() {
        AsyncRuntime.Builder ct = AsyncRuntime.currentThread();
        assertThatThrownBy(() -> ct.workerThreads(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("workerThreads");
        assertThatThrownBy(() -> ct.workStealing(false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("workStealing");
        assertThatThrownBy(() -> ct.onWorkerStart(() -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("onWorkerStart");
        assertThatThrownBy(() -> ct.onWorkerStop(() -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("onWorkerStop");
        // They name the threads of the blocking pool, which a current-thread runtime has too.
        assertThat(ct.threadNamePrefix("io-").threadStackSize(1 << 20)).isNotNull();
    }

    @Test
    void blockingPoolOptions_refuseBadValues() {
        assertThatThrownBy(() -> AsyncRuntime.builder().maxBlockingThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBlockingThreads").hasMessageContaining("0");
        assertThatThrownBy(() -> AsyncRuntime.builder().blockingKeepAlive(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockingKeepAlive").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> AsyncRuntime.builder().onWorkerStart(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("onWorkerStart");
    }

    @Test
    void goodValues_areAccepted() {
        AsyncRuntime.Builder b = AsyncRuntime.builder().workerThreads(1).workerThreads(0x7fff)
                .threadNamePrefix("io-")
                .threadStackSize(1).maxQueueSize(1).workStealing(false).priorityScheduling(false);
        assertThat(b).isNotNull();
    }

    @Test
    void taskOptions_refuseBadValues() {
        assertThatThrownBy(() -> TaskOptions.priority(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("priority");
        TaskOptions normal = TaskOptions.priority(Priority.NORMAL);
        assertThatThrownBy(() -> normal.name(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> normal.deadline(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("deadline");
    }

    @Test
    void taskOptions_areImmutable() {
        TaskOptions base = TaskOptions.priority(Priority.HIGH);
        TaskOptions named = base.name("quote").deadline(java.time.Instant.EPOCH);
        assertThat(base.name()).isEmpty();
        assertThat(base.deadline()).isEmpty();
        assertThat(named.priority()).isEqualTo(Priority.HIGH);
        assertThat(named.name()).contains("quote");
        assertThat(named.deadline()).contains(java.time.Instant.EPOCH);
        assertThat(named).hasToString(
                "TaskOptions[priority=HIGH, deadline=1970-01-01T00:00:00Z, name=quote]");
    }
}
