package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Async.sleep} and {@code sleepUntil} (Tokio's time_sleep tests): never early, on time once
 * the clock has passed the deadline, on both runtimes. On a manual clock, so nothing waits.
 */
class SleepTest {

    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final long MS = 1_000_000;

    private final ManualClock clock = new ManualClock(START);

    /** A sleep created inside the task, on its first poll: it counts from there. */
    private static Future<Void> sleepCreatedInTask(Duration d) {
        return Async.ready(null).then(v -> Async.sleep(d));
    }

    private static void advance(ManualClock clock, long nanos) {
        clock.advance(Duration.ofNanos(nanos));
    }

    @Test
    void sleep_neverCompletesBeforeItsDuration_andCompletesOnceItHasPassed() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            JoinHandle<Void> nap = rt.spawn(sleepCreatedInTask(Duration.ofMillis(250)));
            rt.runUntilStalled();
            assertThat(rt.metrics().timers().pending()).isEqualTo(1);
            advance(clock, 250 * MS - 1);
            rt.runUntilStalled();
            assertThat(nap.isDone()).as("one nanosecond before the deadline").isFalse();
            advance(clock, 1);
            rt.runUntilStalled();
            assertThat(nap.isDone()).isTrue();
            assertThat(rt.metrics().timers()).isEqualTo(new RuntimeMetrics.TimerMetrics(0, 1, 0));
        }
    }

    /**
     * A deadline between two ticks of the wheel (1 ms) is rounded up: the sleep completes at the
     * next tick, never before its deadline.
     */
    @Test
    void deadlineBetweenTicks_completesAtTheNextTick() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            JoinHandle<Void> nap = rt.spawn(sleepCreatedInTask(Duration.ofNanos(10 * MS + 1)));
            rt.runUntilStalled();
            advance(clock, 10 * MS + 1);
            rt.runUntilStalled();
            assertThat(nap.isDone()).as("the deadline has passed, the tick has not").isFalse();
            advance(clock, MS - 1);
            rt.runUntilStalled();
            assertThat(nap.isDone()).isTrue();
        }
    }

    /**
     * As in Tokio, a sleep counts from its creation, not from its first poll: one whose deadline
     * passed before that poll completes in the same drive (its wheel fires it at once, since a
     * first poll reads no clock).
     */
    @Test
    void sleepCreatedInTheRuntime_countsFromItsCreation() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            List<Future<Void>> created = new ArrayList<>();
            rt.blockOn(cx -> {
                created.add(Async.sleep(Duration.ofMillis(100)));
                return Poll.ready(null);
            });
            advance(clock, 100 * MS);
            JoinHandle<Void> nap = rt.spawn(created.get(0));
            rt.runUntilStalled();
            assertThat(nap.isDone()).as("its deadline passed before its first poll").isTrue();
            assertThat(clock.nanoTime()).as("without moving the clock").isEqualTo(100 * MS);
        }
    }

    /**
     * A sleep created outside any runtime is bound to the clock of the runtime that first polls
     * it; on a manual clock, the real time that passed before then does not count.
     */
    @Test
    void sleepCreatedOutside_onAManualClock_countsFromItsFirstPoll() {
        Future<Void> created = Async.sleep(Duration.ofMillis(100));
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            advance(clock, 50 * MS);
            JoinHandle<Void> nap = rt.spawn(created);
            rt.runUntilStalled();
            advance(clock, 100 * MS - 1);
            rt.runUntilStalled();
            assertThat(nap.isDone()).isFalse();
            advance(clock, 1);
            rt.runUntilStalled();
            assertThat(nap.isDone()).isTrue();
        }
    }

    @Test
    void sleepOfZero_isReadyAtItsFirstPoll() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            assertThat(rt.blockOn(Async.sleep(Duration.ZERO))).isNull();
            assertThat(rt.metrics().timers().fired()).isZero();
        }
    }

    @Test
    void negativeSleep_isRefused_namingTheArgument() {
        assertThatThrownBy(() -> Async.sleep(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sleep duration must not be negative, was PT-0.001S");
        assertThatThrownBy(() -> Async.sleep(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("sleep duration");
        assertThatThrownBy(() -> Async.sleepUntil(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("deadline");
    }

    @Test
    void sleepUntil_completesWhenTheClockReadsTheInstant() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            JoinHandle<Void> nap = rt.spawn(Async.sleepUntil(START.plusSeconds(3)));
            rt.runUntilStalled();
            advance(clock, 3_000 * MS - 1);
            rt.runUntilStalled();
            assertThat(nap.isDone()).isFalse();
            advance(clock, 1);
            rt.runUntilStalled();
            assertThat(nap.isDone()).isTrue();
            assertThat(clock.instant()).isEqualTo(START.plusSeconds(3));
        }
    }

    @Test
    void sleepUntilAnInstantPassed_isReadyAtOnce() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            assertThat(rt.blockOn(Async.sleepUntil(START.minusSeconds(1)))).isNull();
            assertThat(rt.blockOn(Async.sleepUntil(START))).isNull();
        }
    }

    @Test
    void sleep_polledOutsideAnyRuntime_failsClearly() {
        Future<Void> nap = Async.sleep(Duration.ofMillis(1));
        Waker nobody = () -> { };
        assertThatThrownBy(() -> nap.poll(() -> nobody))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a sleep was polled on thread '"
                        + Thread.currentThread().getName() + "'")
                .hasMessageContaining("which runs no Weft runtime");
    }

    /**
     * On the multi-thread runtime: each task completes once, and only once, the clock passes its
     * deadline.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void multiThread_manySleeps_completeOnlyOnceTheirDeadlinePassed(int workers) {
        Random random = new Random(workers);
        int n = 2_000;
        long[] deadlines = new long[n];
        List<JoinHandle<Void>> naps = new ArrayList<>();
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(workers).clock(clock).build()) {
            for (int i = 0; i < n; i++) {
                deadlines[i] = (1 + random.nextInt(3_000)) * MS;
                naps.add(rt.spawn(sleepCreatedInTask(Duration.ofNanos(deadlines[i]))));
            }
            Await.until("every sleep armed", () -> rt.metrics().timers().pending() == n);
            for (long now = 0; now <= 3_000 * MS; now += 97 * MS) {
                long reached = now;
                for (int i = 0; i < n; i++) {
                    if (deadlines[i] > reached) {
                        assertThat(naps.get(i).isDone())
                                .as("sleep of %d ms at %d ms", deadlines[i] / MS, reached / MS)
                                .isFalse();
                    }
                }
                Await.until("the sleeps due by " + reached / MS + " ms",
                        () -> naps.stream().filter(h -> !h.isDone()).count()
                                == java.util.Arrays.stream(deadlines)
                                        .filter(d -> d > reached).count());
                advance(clock, 97 * MS);
            }
            Await.until("every sleep done", () -> naps.stream().allMatch(JoinHandle::isDone));
            assertThat(rt.metrics().timers().pending()).isZero();
            assertThat(rt.metrics().timers().fired()).isEqualTo(n);
        }
    }

    /** On the system clock too: a sleep of d completes no earlier than d after its creation. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void systemClock_sleepNeverCompletesEarly(boolean multiThread) {
        AsyncRuntime.Builder builder = multiThread ? AsyncRuntime.builder().workerThreads(2)
                : AsyncRuntime.currentThread();
        try (AsyncRuntime rt = builder.build()) {
            Random random = new Random(11);
            List<Future<Long>> early = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long d = (1 + random.nextInt(20)) * MS + random.nextInt(1_000_000);
                early.add(Async.ready(null).then(v -> {
                    long created = System.nanoTime();
                    return Async.sleep(Duration.ofNanos(d))
                            .map(x -> d - (System.nanoTime() - created));
                }));
            }
            List<Long> margins = rt.blockOn(Async.joinAll(early));
            assertThat(margins).allSatisfy(
                    m -> assertThat(m).as("how early it completed, in ns").isLessThanOrEqualTo(0L));
            assertThat(rt.metrics().timers().pending()).isZero();
        }
    }

    /**
     * A sleep created by a task on the system clock counts from its worker's next clock reading
     * (see ClockReading). Polled first on another thread while the creating poll still runs, so
     * before that reading, it counts from that thread's own reading: still never early, and
     * nothing is left pending. With {@code pollFirstInTheTask}, the task polls it once before
     * handing it over: its entry, armed to wait for the worker's reading, is given up for a fresh
     * one on the other thread.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void systemClock_sleepPolledElsewhereBeforeItsWorkersReading_isNeverEarly(
            boolean pollFirstInTheTask) {
        long delay = 30 * MS;
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(1).build()) {
            AtomicReference<Future<Void>> handedOver = new AtomicReference<>();
            CountDownLatch polledElsewhere = new CountDownLatch(1);
            long[] created = new long[1];
            JoinHandle<Boolean> creator = rt.spawn(cx -> {
                created[0] = System.nanoTime();
                Future<Void> nap = Async.sleep(Duration.ofNanos(delay));
                if (pollFirstInTheTask) {
                    assertThat(nap.poll(cx).isReady()).isFalse();
                }
                handedOver.set(nap);
                try {
                    // The worker stays in this poll, so takes no reading, until the other thread
                    // polled.
                    return Poll.ready(
                            polledElsewhere.await(Await.BOUND.toSeconds(), TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the sleep handed over", () -> handedOver.get() != null);
            rt.blockOn(cx -> {
                Poll<Void> poll = handedOver.get().poll(cx);
                polledElsewhere.countDown();
                return poll;
            });
            long slept = System.nanoTime() - created[0];
            assertThat(slept).as("ns from the sleep's creation to its end")
                    .isGreaterThanOrEqualTo(delay);
            assertThat(creator.join()).as("the creating poll saw the other thread poll").isTrue();
            Await.until("no timer left pending", () -> rt.metrics().timers().pending() == 0);
        }
    }

    /** blockOn's own future may sleep, on both runtimes. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void blockOnFuture_maySleep(boolean multiThread) {
        AsyncRuntime.Builder builder = multiThread ? AsyncRuntime.builder().workerThreads(2)
                : AsyncRuntime.currentThread();
        try (AsyncRuntime rt = builder.clock(clock).build()) {
            Thread advancer = Await.thread("advancer", () -> {
                Await.until("the sleep armed", () -> rt.metrics().timers().pending() == 1);
                advance(clock, 5_000 * MS);
            });
            String woke = rt.blockOn(Async.sleep(Duration.ofSeconds(5)).map(v -> "woke"));
            assertThat(woke).isEqualTo("woke");
            Await.join(advancer);
            assertThat(rt.metrics().timers().pending()).isZero();
        }
    }
}
