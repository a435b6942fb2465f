package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.time.Clock;
import dev.weft.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manual clock: it moves only when told to, or, with auto-advance, jumps to the next timer
 * whenever the runtime has nothing else to do (Tokio's paused time), on both runtimes.
 */
class ManualClockTest {

    private static final Instant START = SleepTest.START;

    private static AsyncRuntime runtime(boolean multiThread, Clock clock) {
        AsyncRuntime.Builder builder = multiThread ? AsyncRuntime.builder().workerThreads(2)
                : AsyncRuntime.currentThread();
        return builder.clock(clock).build();
    }

    @Test
    void clock_startsAtItsInstant_andMovesOnlyWhenTold() {
        ManualClock clock = new ManualClock(START);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.nanoTime()).isZero();
        clock.advance(Duration.ofMillis(1_500));
        assertThat(clock.instant()).isEqualTo(START.plusMillis(1_500));
        assertThat(clock.nanoTime()).isEqualTo(1_500_000_000L);
        clock.advance(Duration.ZERO);
        assertThat(clock.nanoTime()).isEqualTo(1_500_000_000L);
        assertThat(clock.isAutoAdvancing()).isFalse();
        assertThat(clock.autoAdvance(true).isAutoAdvancing()).isTrue();
        assertThat(Clock.system()).isSameAs(Clock.system()).hasToString("Clock.system()");
    }

    @Test
    void badArguments_areRefused_namingThem() {
        ManualClock clock = new ManualClock(START);
        assertThatThrownBy(() -> clock.advance(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "ManualClock.advance duration must not be negative, was PT-0.000000001S");
        assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("duration");
        assertThatThrownBy(() -> new ManualClock(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("start");
        assertThatThrownBy(() -> AsyncRuntime.builder().clock(null))
                .isInstanceOf(NullPointerException.class).hasMessage("clock");
    }

    /** Moved far past the end of time, the clock saturates instead of wrapping into the past. */
    @Test
    void advancePastTheEndOfTime_saturates() {
        ManualClock clock = new ManualClock(START);
        clock.advance(Duration.ofDays(365L * 200));
        clock.advance(Duration.ofDays(365L * 200));
        assertThat(clock.nanoTime()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void autoAdvance_blockOnASleep_returnsAtOnce_withTheClockAtTheDeadline(boolean multiThread) {
        ManualClock clock = new ManualClock(START).autoAdvance(true);
        try (AsyncRuntime rt = runtime(multiThread, clock)) {
            String woke = rt.blockOn(Async.sleep(Duration.ofHours(1)).map(v -> "an hour later"));
            assertThat(woke).isEqualTo("an hour later");
            assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofHours(1)));
        }
    }

    /**
     * Tasks sleeping for days all finish, the clock jumping from one deadline to the next. They
     * are spawned from inside blockOn: a thread outside the runtime is not watched, so on a
     * multi-thread runtime the clock could jump between two spawns from there.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void autoAdvance_sleepingTasks_finishInDeadlineOrder(boolean multiThread) {
        ManualClock clock = new ManualClock(START).autoAdvance(true);
        try (AsyncRuntime rt = runtime(multiThread, clock)) {
            List<Instant> wokeAt = java.util.Collections.synchronizedList(new ArrayList<>());
            rt.blockOn(Async.ready(null).then(v -> {
                List<Future<Void>> naps = new ArrayList<>();
                for (int day = 10; day >= 1; day--) {
                    naps.add(Async.spawn(Async.sleep(Duration.ofDays(day)).map(x -> {
                        wokeAt.add(clock.instant());
                        return null;
                    })));
                }
                return Async.joinAll(naps);
            }));
            List<Instant> expected = new ArrayList<>();
            for (int day = 1; day <= 10; day++) {
                expected.add(START.plus(Duration.ofDays(day)));
            }
            assertThat(wokeAt).containsExactlyElementsOf(expected);
            assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofDays(10)));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void autoAdvance_intervalTicks_haveExactInstants(boolean multiThread) {
        ManualClock clock = new ManualClock(START).autoAdvance(true);
        try (AsyncRuntime rt = runtime(multiThread, clock)) {
            List<Instant> ticks =
                    rt.blockOn(rt.spawn(new Ticks(Async.interval(Duration.ofSeconds(1)), 100)));
            for (int k = 0; k < 100; k++) {
                assertThat(ticks.get(k)).isEqualTo(START.plusSeconds(k));
            }
        }
    }

    /** A timeout that expires takes no time at all. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void autoAdvance_timeoutExpires(boolean multiThread) {
        ManualClock clock = new ManualClock(START).autoAdvance(true);
        try (AsyncRuntime rt = runtime(multiThread, clock)) {
            assertThatThrownBy(() -> rt.blockOn(Async.timeout(Duration.ofMinutes(5), new Latch())))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        }
    }

    /** Work in flight in spawnBlocking takes real time: the clock waits for it, as Tokio's does. */
    @Test
    void autoAdvance_waitsForBlockingWork() {
        ManualClock clock = new ManualClock(START).autoAdvance(true);
        try (AsyncRuntime rt = runtime(false, clock)) {
            CountDownLatch release = new CountDownLatch(1);
            Instant[] seenByBlockingWork = new Instant[1];
            JoinHandle<Void> blocking = rt.spawnBlocking(() -> {
                release.await();
                seenByBlockingWork[0] = clock.instant();
                return null;
            });
            rt.spawn(Async.sleep(Duration.ofHours(1)));
            Thread releaser = Await.thread("releaser", () -> {
                Await.until("the blocking work started",
                        () -> rt.metrics().timers().pending() == 1);
                release.countDown();
            });
            rt.blockOn(blocking);
            Await.join(releaser);
            assertThat(seenByBlockingWork[0])
                    .as("the clock had not jumped while the blocking work ran").isEqualTo(START);
            rt.blockOn(Async.sleep(Duration.ofHours(1)));
            assertThat(clock.instant()).isAfterOrEqualTo(START.plus(Duration.ofHours(1)));
        }
    }

    /** Without auto-advance, an idle runtime leaves the clock alone: the sleep waits for a move. */
    @Test
    void withoutAutoAdvance_theClockMovesOnlyByAdvance() {
        ManualClock clock = new ManualClock(START);
        try (AsyncRuntime rt = runtime(true, clock)) {
            JoinHandle<Void> nap = rt.spawn(Async.sleep(Duration.ofSeconds(1)));
            Await.until("the sleep armed", () -> rt.metrics().timers().pending() == 1);
            Await.until("the workers parked",
                    () -> rt.metrics().total(RuntimeMetrics.WorkerMetrics::parks) >= 2);
            assertThat(clock.instant()).isEqualTo(START);
            assertThat(nap.isDone()).isFalse();
            clock.advance(Duration.ofSeconds(1));
            Await.until("the sleep done", nap::isDone);
        }
    }
}
