package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What an interrupt does to the blocking calls of {@link AsyncRuntime} and {@link JoinHandle}, on
 * both runtimes, as the guide states: {@code blockOn} and {@code join} keep waiting, like
 * {@code CompletableFuture.join()}, and return with the interrupt status set; {@code shutdown} and
 * {@code close} take an interrupt as the end of their grace period: the live tasks are cancelled at
 * once, and the status is kept.
 */
class BlockingCallInterruptsTest {

    /** What a thread that made a blocking call saw. */
    private static final class Outcome<T> {
        final AtomicReference<T> value = new AtomicReference<>();
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicBoolean interruptedAfter = new AtomicBoolean();
    }

    private static <T> Thread calling(String name, Outcome<T> outcome, Supplier<T> call) {
        return Await.thread(name, () -> {
            try {
                outcome.value.set(call.get());
            } catch (Throwable t) {
                outcome.thrown.set(t);
            }
            outcome.interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void blockOn_interrupted_keepsWaiting_thenReturnsWithTheStatusSet(RuntimeKind kind) {
        AsyncRuntime runtime = kind.build();
        Latch gate = new Latch();
        Outcome<String> outcome = new Outcome<>();
        Thread caller = calling("blockOn", outcome, () -> runtime.blockOn(gate.map(v -> "opened")));
        ExecutorServiceContract.awaitBlocked(caller);
        caller.interrupt();
        ExecutorServiceContract.awaitBlocked(caller); // still waiting for the future
        assertThat(caller.isAlive()).isTrue();
        gate.open();
        Await.join(caller);
        assertThat(outcome.thrown.get()).isNull();
        assertThat(outcome.value.get()).isEqualTo("opened");
        assertThat(outcome.interruptedAfter).as("the interrupt status, kept").isTrue();
        assertThat(runtime.shutdown(Duration.ofSeconds(10))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void join_interrupted_keepsWaiting_thenReturnsWithTheStatusSet(RuntimeKind kind) {
        AsyncRuntime runtime = kind.build();
        Latch gate = new Latch();
        JoinHandle<String> task = runtime.spawn(gate.map(v -> "opened"));
        Outcome<String> outcome = new Outcome<>();
        Thread caller = calling("join", outcome, task::join);
        ExecutorServiceContract.awaitBlocked(caller);
        caller.interrupt();
        ExecutorServiceContract.awaitBlocked(caller);
        assertThat(task.isDone()).isFalse();
        gate.open();
        Await.join(caller);
        assertThat(outcome.thrown.get()).isNull();
        assertThat(outcome.value.get()).isEqualTo("opened");
        assertThat(outcome.interruptedAfter).isTrue();
        assertThat(runtime.shutdown(Duration.ofSeconds(10))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void shutdown_interruptedWhileWaitingForLiveTasks_cancelsThemAtOnce(RuntimeKind kind) {
        AsyncRuntime runtime = kind.build();
        JoinHandle<Void> forever = runtime.spawn(new Latch());
        Outcome<Boolean> outcome = new Outcome<>();
        Thread caller = calling("shutdown", outcome, () -> runtime.shutdown(Duration.ofDays(1)));
        ExecutorServiceContract.awaitBlocked(caller);
        caller.interrupt();
        Await.join(caller); // within the test's bound: not the day the timeout allowed
        assertThat(outcome.thrown.get()).isNull();
        assertThat(outcome.value.get()).as("a task had to be cancelled").isFalse();
        assertThat(outcome.interruptedAfter).isTrue();
        assertThat(forever.isDone()).isTrue();
        Await.until("the runtime to terminate", () -> runtime.state() == RuntimeState.TERMINATED);
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void close_withAPendingInterrupt_cancelsTheLiveTasksAtOnce(RuntimeKind kind) {
        AsyncRuntime runtime = AsyncRuntime.currentThread().shutdownTimeout(Duration.ofDays(1))
                .build();
        if (kind == RuntimeKind.MULTI_THREAD) {
            runtime = AsyncRuntime.builder().workerThreads(2).shutdownTimeout(Duration.ofDays(1))
                    .build();
        }
        AsyncRuntime closing = runtime;
        JoinHandle<Void> forever = runtime.spawn(new Latch());
        Outcome<Void> outcome = new Outcome<>();
        Thread caller = calling("close", outcome, () -> {
            Thread.currentThread().interrupt();
            closing.close();
            return null;
        });
        Await.join(caller);
        assertThat(outcome.thrown.get()).isNull();
        assertThat(outcome.interruptedAfter).isTrue();
        assertThat(forever.isDone()).isTrue();
        Await.until("the runtime to terminate", () -> closing.state() == RuntimeState.TERMINATED);
    }
}
