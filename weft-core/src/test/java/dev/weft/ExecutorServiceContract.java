package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code ExecutorService} contract, case by case after the JSR-166 TCK's
 * {@code AbstractExecutorServiceTest} and the executor cases of its {@code ForkJoinPoolTest}
 * (written here, not copied): every kind of task submitted, nulls, {@code invokeAny} and
 * {@code invokeAll} with empty, null-holding, failing and timed-out collections, rejection after
 * shutdown, the commands {@code shutdownNow} returns, {@code awaitTermination} with expired, zero
 * and huge timeouts, and interrupts. Run over both runtimes' views by the subclasses.
 */
abstract class ExecutorServiceContract {

    /** A timeout long enough never to pass in a test that works. */
    static final long LONG = 30;

    AsyncRuntime runtime;
    ExecutorService executor;
    /** Released at the end of each test: commands that must not finish by themselves wait on it. */
    final CountDownLatch endOfTest = new CountDownLatch(1);

    /** Builds the runtime, and starts whatever drives it. */
    abstract AsyncRuntime start();

    /** How many commands the view runs at once. */
    abstract int parallelism();

    @BeforeEach
    void build() {
        runtime = start();
        executor = runtime.asExecutorService();
    }

    /** Once the runtime is shut down: ends whatever {@link #start()} started. */
    void stopped() {
    }

    @AfterEach
    void shutDown() {
        endOfTest.countDown();
        runtime.shutdown(Duration.ZERO);
        stopped();
    }

    /** A command that waits for the end of the test, or an interrupt. */
    Runnable waitsForTheEnd(CountDownLatch started) {
        return () -> {
            started.countDown();
            try {
                endOfTest.await();
            } catch (InterruptedException cancelled) {
                // cancel(true), or the end of an invokeAny/invokeAll that gave up on it
            }
        };
    }

    Callable<Integer> failing(String message) {
        return () -> {
            throw new IllegalStateException(message);
        };
    }

    /** Starts a thread that runs {@code body} and records what it threw. */
    static Thread waiter(String name, AtomicReference<Throwable> thrown, ThrowingRunnable body) {
        return Await.thread(name, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
    }

    /** Waits, bounded, until {@code t} is blocked in a wait of its own. */
    static void awaitBlocked(Thread t) {
        Await.until(t.getName() + " to wait", () -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---------------------------------------------------------------- execute and submit

    @Test
    void execute_runsTheCommand() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        executor.execute(ran::countDown);
        assertThat(ran.await(LONG, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void submitRunnable_completesWithNull_orTheResultGiven() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        assertThat(executor.submit((Runnable) runs::incrementAndGet).get(LONG, TimeUnit.SECONDS))
                .isNull();
        assertThat(executor.submit(runs::incrementAndGet, "done").get(LONG, TimeUnit.SECONDS))
                .isEqualTo("done");
        assertThat(runs).hasValue(2);
    }

    @Test
    void submitCallable_completesWithItsResult() throws Exception {
        assertThat(executor.submit(() -> 6 * 7).get(LONG, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void submitCallable_thatThrows_failsGetWithTheCause() {
        Future<Integer> f = executor.submit(failing("boom"));
        assertThatThrownBy(() -> f.get(LONG, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }

    @Test
    void nulls_areRefused() {
        assertThatThrownBy(() -> executor.execute(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.submit((Runnable) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.submit((Runnable) null, 1))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.submit((Callable<Integer>) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.awaitTermination(1, null))
                .isInstanceOf(NullPointerException.class);
    }

    // ---------------------------------------------------------------- invokeAny

    @Test
    void invokeAny_ofNothing_isRefused() {
        assertThatThrownBy(() -> executor.invokeAny(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> executor.invokeAny(List.of(), LONG, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invokeAny_ofNullOrANullTask_throwsNullPointerException() {
        assertThatThrownBy(() -> executor.invokeAny(null)).isInstanceOf(NullPointerException.class);
        // The first task does not end by itself: invokeAny reaches the null before any result.
        Callable<Object> never = callable(waitsForTheEnd(new CountDownLatch(1)));
        List<Callable<Object>> holdingNull = Arrays.asList(never, null);
        assertThatThrownBy(() -> executor.invokeAny(holdingNull))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.invokeAny(holdingNull, LONG, TimeUnit.SECONDS))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void invokeAny_ofTasksThatAllFail_throwsExecutionException() {
        List<Callable<Integer>> all = List.of(failing("a"), failing("b"));
        assertThatThrownBy(() -> executor.invokeAny(all)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> executor.invokeAny(all, LONG, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void invokeAny_returnsTheResultOfOneThatSucceeded() throws Exception {
        assertThat(executor.invokeAny(List.of(failing("a"), () -> 7))).isEqualTo(7);
        assertThat(executor.invokeAny(List.of(() -> 8, failing("b")), LONG, TimeUnit.SECONDS))
                .isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, -1, 0})
    void invokeAny_withAnExpiredTimeout_timesOut(long timeout) {
        CountDownLatch started = new CountDownLatch(1);
        Callable<Object> never = callable(waitsForTheEnd(started));
        assertThatThrownBy(() -> executor.invokeAny(List.of(never), timeout, TimeUnit.NANOSECONDS))
                .isInstanceOf(TimeoutException.class);
    }

    // ---------------------------------------------------------------- invokeAll

    @Test
    void invokeAll_ofNothing_returnsNothing() throws Exception {
        assertThat(executor.invokeAll(List.of())).isEmpty();
        assertThat(executor.invokeAll(List.of(), LONG, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void invokeAll_ofNullOrANullTask_throwsNullPointerException() {
        assertThatThrownBy(() -> executor.invokeAll(null)).isInstanceOf(NullPointerException.class);
        List<Callable<Integer>> holdingNull = Arrays.asList(() -> 1, null);
        assertThatThrownBy(() -> executor.invokeAll(holdingNull))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.invokeAll(holdingNull, LONG, TimeUnit.SECONDS))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void invokeAll_returnsEveryOutcome_inOrder() throws Exception {
        List<Future<Integer>> futures = executor.invokeAll(List.of(() -> 1, failing("two"),
                () -> 3));
        assertThat(futures).hasSize(3).allMatch(Future::isDone);
        assertThat(futures.get(0).get()).isEqualTo(1);
        assertThatThrownBy(() -> futures.get(1).get()).isInstanceOf(ExecutionException.class);
        assertThat(futures.get(2).get()).isEqualTo(3);
        List<Future<Integer>> timed = executor.invokeAll(List.of(() -> 4), LONG, TimeUnit.SECONDS);
        assertThat(timed.get(0).get()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, -1, 0})
    void invokeAll_withAnExpiredTimeout_cancelsEveryTask(long timeout) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Collection<Callable<Object>> tasks = List.of(callable(waitsForTheEnd(started)), () -> 1);
        List<Future<Object>> futures = executor.invokeAll(tasks, timeout, TimeUnit.NANOSECONDS);
        assertThat(futures).hasSize(2).allMatch(Future::isCancelled);
        assertThatThrownBy(() -> futures.get(0).get()).isInstanceOf(CancellationException.class);
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void afterShutdown_newWorkIsRejected_andTheViewTerminates() throws Exception {
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThatThrownBy(() -> executor.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.submit(() -> 1))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.invokeAll(List.of(() -> 1)))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.invokeAny(List.of(() -> 1)))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(executor.awaitTermination(LONG, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
    }

    @Test
    void shutdown_letsQueuedWorkFinish() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> pending = executor.submit(() -> {
            release.await();
            return 1;
        });
        executor.shutdown();
        assertThat(executor.isTerminated()).isFalse();
        assertThat(executor.awaitTermination(0, TimeUnit.SECONDS)).isFalse();
        release.countDown();
        assertThat(pending.get(LONG, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(executor.awaitTermination(LONG, TimeUnit.SECONDS)).isTrue();
        assertThat(runtime.state()).isEqualTo(RuntimeState.TERMINATED);
    }

    @Test
    void shutdownNow_returnsTheCommandsThatNeverStarted_andCancelsTheRest() throws Exception {
        CountDownLatch busy = new CountDownLatch(parallelism());
        for (int i = 0; i < parallelism(); i++) {
            executor.execute(waitsForTheEnd(busy));
        }
        assertThat(busy.await(LONG, TimeUnit.SECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();
        Runnable queued = ran::incrementAndGet;
        Future<?> submitted = executor.submit(queued);
        for (int i = 0; i < 4; i++) {
            executor.execute(queued);
        }
        List<Runnable> neverStarted = executor.shutdownNow();
        assertThat(neverStarted).hasSize(5).containsOnly(queued, (Runnable) submitted);
        assertThat(executor.isShutdown()).isTrue();
        endOfTest.countDown();
        assertThat(executor.awaitTermination(LONG, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).as("a command returned by shutdownNow never runs").hasValue(0);
    }

    // ---------------------------------------------------------------- awaitTermination's timeouts

    @ParameterizedTest
    @EnumSource(value = TimeUnit.class, names = {"NANOSECONDS", "MILLISECONDS", "DAYS"})
    void awaitTermination_ofARunningView_withAnExpiredTimeout_returnsFalseAtOnce(TimeUnit unit)
            throws Exception {
        for (long timeout : new long[] {Long.MIN_VALUE, -1, 0}) {
            assertThat(executor.awaitTermination(timeout, unit)).as("%d %s", timeout, unit)
                    .isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TimeUnit.class, names = {"NANOSECONDS", "MILLISECONDS", "DAYS"})
    void awaitTermination_withAHugeTimeout_waitsUntilTerminated(TimeUnit unit) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread waiting = waiter("awaitTermination(MAX, " + unit + ")", thrown,
                () -> result.set(executor.awaitTermination(Long.MAX_VALUE, unit)));
        awaitBlocked(waiting);
        executor.shutdown();
        Await.join(waiting);
        assertThat(thrown.get()).isNull();
        assertThat(result.get()).isTrue();
        assertThat(executor.awaitTermination(1, unit)).isTrue();
        assertThat(executor.awaitTermination(Long.MIN_VALUE, unit))
                .as("terminated: true, whatever the timeout")
                .isTrue();
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    void awaitTermination_interruptedBeforeTheCall_throws() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> executor.awaitTermination(LONG, TimeUnit.SECONDS))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void awaitTermination_interruptedWhileWaiting_throws() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiting = waiter("awaitTermination", thrown, () -> executor.awaitTermination(1,
                TimeUnit.DAYS));
        awaitBlocked(waiting);
        waiting.interrupt();
        Await.join(waiting);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void futureGet_interruptedWhileWaiting_throws() {
        CountDownLatch started = new CountDownLatch(1);
        Future<?> never = executor.submit(waitsForTheEnd(started));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiting = waiter("get", thrown, never::get);
        awaitBlocked(waiting);
        waiting.interrupt();
        Await.join(waiting);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void invokeAll_interruptedWhileWaiting_throws_andCancelsItsTasks() {
        CountDownLatch started = new CountDownLatch(1);
        List<Callable<Object>> tasks = new ArrayList<>();
        tasks.add(callable(waitsForTheEnd(started)));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiting = waiter("invokeAll", thrown, () -> executor.invokeAll(tasks));
        Await.until("the task to start", () -> started.getCount() == 0);
        awaitBlocked(waiting);
        waiting.interrupt();
        Await.join(waiting);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    /** A runnable as a callable of null. */
    static Callable<Object> callable(Runnable r) {
        return java.util.concurrent.Executors.callable(r);
    }
}
