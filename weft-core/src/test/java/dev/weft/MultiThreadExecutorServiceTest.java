package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ExecutorService contract on the multi-thread runtime's view, and what is its own. */
class MultiThreadExecutorServiceTest extends ExecutorServiceContract {

    @Override
    AsyncRuntime start() {
        return AsyncRuntime.builder().workerThreads(parallelism()).build();
    }

    @Override
    int parallelism() {
        return 2;
    }

    @Test
    void theViewIsOnePerRuntime() {
        assertThat(runtime.asExecutorService()).isSameAs(executor);
    }

    @Test
    void cancelTrue_ofARunningSubmission_doesNotLeakTheInterruptIntoTheNextTask() throws Exception {
        AsyncRuntime single = AsyncRuntime.builder().workerThreads(1).build();
        try {
            ExecutorService one = single.asExecutorService();
            CountDownLatch running = new CountDownLatch(1);
            java.util.concurrent.Future<?> victim = one.submit(waitsForTheEnd(running));
            assertThat(running.await(LONG, TimeUnit.SECONDS)).isTrue();
            assertThat(victim.cancel(true)).isTrue();
            assertThat(one.submit(() -> Thread.currentThread().isInterrupted())
                    .get(LONG, TimeUnit.SECONDS))
                    .as("the next task on the same worker sees no interrupt").isFalse();
        } finally {
            single.shutdown(Duration.ZERO);
        }
    }
}
