package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A timer that is no longer needed leaves the runtime at once (the count of pending timers goes
 * back to zero): when its task ends or is aborted, when a select drops it, when blockOn returns,
 * when the runtime shuts down. Nothing waits for a deadline to pass: the clock never moves.
 */
class TimerCleanupTest {

    private final ManualClock clock = new ManualClock(SleepTest.START);

    private AsyncRuntime runtime(boolean multiThread) {
        AsyncRuntime.Builder builder = multiThread ? AsyncRuntime.builder().workerThreads(2)
                : AsyncRuntime.currentThread();
        return builder.clock(clock).build();
    }

    /**
     * Runs the tasks: on a current-thread runtime, drives it; on a multi-thread one, waits for the
     * condition.
     */
    private static void settle(AsyncRuntime rt, String what,
            java.util.function.BooleanSupplier condition) {
        if (rt.toString().contains("current-thread")) {
            rt.runUntilStalled();
        }
        Await.until(what, condition);
    }

    private static long pending(AsyncRuntime rt) {
        return rt.metrics().timers().pending();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void abortedTask_releasesItsSleep(boolean multiThread) {
        try (AsyncRuntime rt = runtime(multiThread)) {
            JoinHandle<Void> nap = rt.spawn(Async.sleep(Duration.ofHours(1)));
            settle(rt, "the sleep armed", () -> pending(rt) == 1);
            assertThat(nap.abort()).isTrue();
            settle(rt, "the sleep released", () -> pending(rt) == 0);
            assertThat(rt.metrics().timers().cancelled()).isEqualTo(1);
            assertThatThrownBy(nap::join).isInstanceOf(TaskCancelledException.class);
        }
    }

    /**
     * Aborting an idle task from outside ends it on the aborting thread: its timer is gone when
     * abort returns.
     */
    @Test
    void abortOfAnIdleTask_releasesItsTimer_beforeAbortReturns() {
        try (AsyncRuntime rt = runtime(false)) {
            JoinHandle<Void> nap = rt.spawn(Async.sleep(Duration.ofHours(1)));
            rt.runUntilStalled();
            assertThat(pending(rt)).isEqualTo(1);
            nap.abort();
            assertThat(pending(rt)).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void taskThatEndsWithATimerArmed_releasesIt(boolean multiThread) {
        try (AsyncRuntime rt = runtime(multiThread)) {
            Latch gate = new Latch();
            // Joined, not selected: the sleep is still armed inside the task when the task fails.
            JoinHandle<Async.Pair<Void, Void>> h = rt.spawn(Async.join(
                    Async.sleep(Duration.ofHours(1)),
                    gate.map(v -> {
                        throw new IllegalStateException("ends the task");
                    })));
            settle(rt, "the sleep armed", () -> pending(rt) == 1);
            gate.open();
            settle(rt, "the task ended", h::isDone);
            assertThat(pending(rt)).isZero();
            assertThat(rt.metrics().timers().cancelled()).isEqualTo(1);
        }
    }

    /**
     * A sleep armed by one task and then awaited by another (handed over between polls): the
     * first task's timer is cancelled, the second arms one of its own, which the first task's end
     * leaves alone, and the sleep completes at its deadline, once. With {@code firstEndsFirst}
     * the first task ends before the handover (its end cancels its timer).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sleepHandedToAnotherTask_whileArmed_completesOnceAtItsDeadline(boolean firstEndsFirst) {
        try (AsyncRuntime rt = runtime(false)) {
            AtomicReference<Future<Void>> handedOver = new AtomicReference<>();
            Latch firstMayEnd = new Latch();
            JoinHandle<Void> first = rt.spawn(cx -> {
                if (handedOver.get() == null) {
                    Future<Void> nap = Async.sleep(Duration.ofMillis(100));
                    assertThat(nap.poll(cx).isReady()).isFalse(); // armed, held by this task
                    handedOver.set(nap);
                }
                return firstMayEnd.poll(cx); // and never polls the sleep again
            });
            rt.runUntilStalled();
            assertThat(pending(rt)).isEqualTo(1);
            if (firstEndsFirst) {
                firstMayEnd.open();
                rt.runUntilStalled();
                assertThat(first.isDone()).isTrue();
                assertThat(pending(rt)).isZero();
            }
            JoinHandle<String> second = rt.spawn(cx -> handedOver.get().poll(cx).isReady()
                    ? Poll.ready("woke") : Poll.pending());
            rt.runUntilStalled();
            assertThat(pending(rt)).as("only the second task's timer").isEqualTo(1);
            firstMayEnd.open();
            rt.runUntilStalled();
            assertThat(first.isDone()).isTrue();
            assertThat(pending(rt)).as("the first task's end left the second's timer armed")
                    .isEqualTo(1);
            clock.advance(Duration.ofMillis(100).minusNanos(1));
            rt.runUntilStalled();
            assertThat(second.isDone()).isFalse();
            clock.advance(Duration.ofNanos(1));
            rt.runUntilStalled();
            assertThat(second.join()).isEqualTo("woke");
            assertThat(rt.metrics().timers()).isEqualTo(new RuntimeMetrics.TimerMetrics(0, 1, 1));
        }
    }

    /** The loser of a select is dropped: its timer goes at once, though the task goes on. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void selectLoser_releasesItsTimer_whileTheTaskGoesOn(boolean multiThread) {
        try (AsyncRuntime rt = runtime(multiThread)) {
            Latch gate = new Latch();
            Latch after = new Latch();
            JoinHandle<Void> h = rt.spawn(
                    Async.select(gate, Async.sleep(Duration.ofHours(1)).map(v -> "late"))
                    .then(either -> after));
            settle(rt, "the sleep armed", () -> pending(rt) == 1);
            gate.open();
            settle(rt, "the sleep released", () -> pending(rt) == 0);
            assertThat(h.isDone()).isFalse();
            after.open();
            settle(rt, "the task done", h::isDone);
        }
    }

    /**
     * A loop of selects against a timeout, the classic receive-with-timeout, holds one timer at
     * most.
     */
    @Test
    void loopOfSelectsAgainstASleep_holdsOneTimerAtMost() {
        try (AsyncRuntime rt = runtime(false)) {
            AtomicInteger mostPending = new AtomicInteger();
            int rounds = 5_000;
            Future<Integer> loop = new Future<>() {
                private int done;
                private Future<Async.Either<Integer, Void>> round;

                @Override
                public Poll<Integer> poll(Context cx) {
                    while (done < rounds) {
                        if (round == null) {
                            round = Async.select(Async.yieldNow().map(v -> done),
                                    Async.sleep(Duration.ofSeconds(10)));
                        }
                        Poll<Async.Either<Integer, Void>> p = round.poll(cx);
                        mostPending.accumulateAndGet((int) pending(rt), Math::max);
                        if (!p.isReady()) {
                            return Poll.pending();
                        }
                        round = null;
                        done++;
                    }
                    return Poll.ready(done);
                }
            };
            assertThat(rt.blockOn(rt.spawn(loop))).isEqualTo(rounds);
            assertThat(mostPending.get()).isEqualTo(1);
            assertThat(rt.metrics().timers())
                    .isEqualTo(new RuntimeMetrics.TimerMetrics(0, 0, rounds));
        }
    }

    /** The timers of blockOn's own future are released when blockOn returns. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void blockOn_releasesItsFuturesTimers_whenItReturns(boolean multiThread) {
        try (AsyncRuntime rt = runtime(multiThread)) {
            Latch gate = new Latch();
            Thread opener = Await.thread("opener", () -> {
                Await.until("the sleep armed", () -> pending(rt) == 1);
                gate.open();
            });
            // Joined with a ready future so that the sleep is still armed when the join fails.
            assertThatThrownBy(() -> rt.blockOn(Async.join(Async.sleep(Duration.ofHours(1)),
                    gate.map(v -> {
                        throw new IllegalStateException("blockOn's future fails");
                    })))).hasMessage("blockOn's future fails");
            Await.join(opener);
            assertThat(pending(rt)).isZero();
        }
    }

    /** Shutdown cancels the sleeping tasks, and with them every timer: none is left. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shutdown_cancelsSleepingTasks_andLeavesNoTimer(boolean multiThread) {
        AsyncRuntime rt = runtime(multiThread);
        List<JoinHandle<Void>> naps = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            naps.add(rt.spawn(Async.sleep(Duration.ofMinutes(1 + i))));
        }
        settle(rt, "every sleep armed", () -> pending(rt) == 100);
        assertThat(rt.shutdown(Duration.ZERO)).isFalse();
        assertThat(rt.state()).isEqualTo(RuntimeState.TERMINATED);
        assertThat(naps).allSatisfy(
                h -> assertThatThrownBy(h::join).isInstanceOf(TaskCancelledException.class));
        assertThat(rt.metrics().timers()).isEqualTo(new RuntimeMetrics.TimerMetrics(0, 0, 100));
    }

    /** A graceful shutdown lets sleeping tasks finish when their timers fire. */
    @Test
    void gracefulShutdown_letsSleepsFinish() {
        ManualClock auto = new ManualClock(SleepTest.START).autoAdvance(true);
        AsyncRuntime rt = AsyncRuntime.builder().workerThreads(2).clock(auto).build();
        List<JoinHandle<Void>> naps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            naps.add(rt.spawn(Async.sleep(Duration.ofSeconds(1 + i))));
        }
        assertThat(rt.shutdown(Duration.ofSeconds(30))).isTrue();
        assertThat(naps).allMatch(h -> h.isDone() && h.join() == null);
        assertThat(rt.metrics().timers().fired()).isEqualTo(10);
    }
}
