package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AsyncRuntime.asExecutorService(): the ExecutorService contract, on the multi-thread runtime. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExecutorServiceViewTest {

    private final AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
    private final ExecutorService executor = runtime.asExecutorService();

    @AfterEach
    void shutDown() {
        runtime.shutdown(Duration.ZERO);
    }

    @Test
    void submit_execute_invokeAll_invokeAny() throws Exception {
        assertThat(executor.submit(() -> 6 * 7).get(10, TimeUnit.SECONDS)).isEqualTo(42);
        CountDownLatch ran = new CountDownLatch(1);
        executor.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        List<Callable<Integer>> calls = List.of(() -> 1, () -> 2, () -> 3);
        assertThat(executor.invokeAll(calls)).extracting(f -> f.get()).containsExactly(1, 2, 3);
        assertThat(executor.invokeAny(calls)).isIn(1, 2, 3);
        assertThat(runtime.asExecutorService()).isSameAs(executor);
    }

    @Test
    void submit_failure_isTheExecutionExceptionsCause() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> executor.submit(() -> {
            throw boom;
        }).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(boom);
    }

    @Test
    void shutdown_refusesNewWork_letsQueuedWorkFinish_andTerminates() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Future<Integer> pending = executor.submit(() -> {
            release.await();
            return 1;
        });
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThat(executor.isTerminated()).isFalse();
        assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(executor.awaitTermination(10, TimeUnit.MILLISECONDS)).isFalse();
        release.countDown();
        assertThat(pending.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        assertThat(runtime.state()).isEqualTo(RuntimeState.TERMINATED);
    }

    @Test
    void shutdownNow_cancelsLiveWork_andReturnsTheCommandsThatNeverStarted() throws Exception {
        CountDownLatch blockWorkers = new CountDownLatch(1);
        CountDownLatch bothBusy = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            executor.execute(() -> {
                bothBusy.countDown();
                try {
                    blockWorkers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(bothBusy.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger neverRun = new AtomicInteger();
        Runnable queued = neverRun::incrementAndGet;
        for (int i = 0; i < 5; i++) {
            executor.execute(queued);
        }
        List<Runnable> notStarted = executor.shutdownNow();
        assertThat(notStarted).hasSize(5).containsOnly(queued);
        blockWorkers.countDown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(neverRun).hasValue(0);
    }

    @Test
    void awaitTermination_whenInterrupted_throws() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> executor.awaitTermination(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void cancelTrue_ofARunningSubmission_doesNotLeakTheInterruptIntoTheNextTask() throws Exception {
        AsyncRuntime single = AsyncRuntime.builder().workerThreads(1).build();
        try {
            ExecutorService one = single.asExecutorService();
            CountDownLatch running = new CountDownLatch(1);
            java.util.concurrent.Future<?> victim = one.submit(() -> {
                running.countDown();
                try {
                    new CountDownLatch(1).await(); // until interrupted by cancel(true)
                } catch (InterruptedException expected) {
                    // cancelled
                }
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(victim.cancel(true)).isTrue();
            assertThat(one.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS))
                    .as("the next task on the same worker sees no interrupt").isFalse();
        } finally {
            single.shutdown(Duration.ZERO);
        }
    }
}
