package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Async.timeout} and {@code Future.timeout} (Tokio's time_timeout tests): the future's
 * result when it is in time, {@link DeadlineExceededException} when it is not, and a timer that
 * is gone as soon as it is not needed. On a current-thread runtime with a manual clock.
 */
class TimeoutTest {

    private static final long MS = 1_000_000;

    private final ManualClock clock = new ManualClock(SleepTest.START);
    private final AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build();

    @AfterEach
    void shutDown() {
        rt.shutdown(Duration.ZERO);
    }

    private RuntimeMetrics.TimerMetrics timers() {
        return rt.metrics().timers();
    }

    @Test
    void futureInTime_givesItsValue_andTheTimerIsCancelledAtOnce() {
        Latch gate = new Latch();
        JoinHandle<String> h =
                rt.spawn(Async.timeout(Duration.ofSeconds(1), gate.map(v -> "in time")));
        rt.runUntilStalled();
        assertThat(timers().pending()).isEqualTo(1);
        clock.advance(Duration.ofMillis(999));
        gate.open();
        rt.runUntilStalled();
        assertThat(h.join()).isEqualTo("in time");
        assertThat(timers()).isEqualTo(new RuntimeMetrics.TimerMetrics(0, 0, 1));
    }

    @Test
    void futureLate_failsWithDeadlineExceeded_namingTheTimeout() {
        JoinHandle<String> h =
                rt.spawn(Async.timeout(Duration.ofSeconds(1), new Latch().map(v -> "never")));
        rt.runUntilStalled();
        clock.advance(Duration.ofMillis(999));
        rt.runUntilStalled();
        assertThat(h.isDone()).isFalse();
        clock.advance(Duration.ofMillis(1));
        rt.runUntilStalled();
        assertThatThrownBy(h::join)
                .isInstanceOf(DeadlineExceededException.class)
                .hasMessage("the future did not complete within its timeout of PT1S");
        assertThat(timers()).isEqualTo(new RuntimeMetrics.TimerMetrics(0, 1, 0));
    }

    @Test
    void futureTimeout_isAsyncTimeout() {
        JoinHandle<Void> h = rt.spawn(new Latch().timeout(Duration.ofMillis(20)));
        rt.runUntilStalled();
        clock.advance(Duration.ofMillis(20));
        rt.runUntilStalled();
        assertThatThrownBy(h::join).isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("PT0.02S");
    }

    /** Polled first, the future wins a tie with the deadline, as in Tokio. */
    @Test
    void futureReadyInThePollThatFindsTheDeadline_wins() {
        JoinHandle<String> h = rt.spawn(Async.ready(null).then(v ->
                Async.timeout(Duration.ofMillis(30),
                        Async.sleep(Duration.ofMillis(30)).map(x -> "tie goes to the future"))));
        rt.runUntilStalled();
        clock.advance(Duration.ofMillis(30));
        rt.runUntilStalled();
        assertThat(h.join()).isEqualTo("tie goes to the future");
        assertThat(timers().pending()).isZero();
    }

    @Test
    void zeroTimeout_givesAReadyFuturesValue_andFailsAPendingOne() {
        assertThat(rt.blockOn(Async.timeout(Duration.ZERO, Async.ready(7)))).isEqualTo(7);
        assertThatThrownBy(() -> rt.blockOn(Async.timeout(Duration.ZERO, new Latch())))
                .isInstanceOf(DeadlineExceededException.class);
        assertThat(timers().pending()).isZero();
    }

    @Test
    void failingFuture_failsTheTimeout_andCancelsItsTimer() {
        Latch gate = new Latch();
        JoinHandle<Object> h = rt.spawn(Async.timeout(Duration.ofSeconds(10), gate.map(v -> {
            throw new IllegalStateException("the future failed");
        })));
        rt.runUntilStalled();
        gate.open();
        rt.runUntilStalled();
        assertThatThrownBy(h::join).isInstanceOf(IllegalStateException.class)
                .hasMessage("the future failed");
        assertThat(timers()).isEqualTo(new RuntimeMetrics.TimerMetrics(0, 0, 1));
    }

    /** Expiry drops the future: a task's handle is aborted, as select aborts its loser. */
    @Test
    void expiry_abortsATaskBeingAwaited() {
        JoinHandle<Void> slow = rt.spawn(new Latch());
        JoinHandle<Void> h = rt.spawn(Async.timeout(Duration.ofMillis(5), slow));
        rt.runUntilStalled();
        clock.advance(Duration.ofMillis(5));
        rt.runUntilStalled();
        assertThatThrownBy(h::join).isInstanceOf(DeadlineExceededException.class);
        assertThatThrownBy(slow::join).isInstanceOf(TaskCancelledException.class);
    }

    /** Expiry of an outer timeout drops the inner one, whose timer goes at once. */
    @Test
    void expiryOfAnOuterTimeout_cancelsTheInnerTimer() {
        JoinHandle<Void> h = rt.spawn(Async.timeout(Duration.ofMillis(10),
                Async.timeout(Duration.ofHours(1), new Latch())));
        rt.runUntilStalled();
        assertThat(timers().pending()).isEqualTo(2);
        clock.advance(Duration.ofMillis(10));
        rt.runUntilStalled();
        assertThatThrownBy(h::join).isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("PT0.01S");
        assertThat(timers()).isEqualTo(new RuntimeMetrics.TimerMetrics(0, 1, 1));
    }

    /**
     * The set-and-cancel case: timeouts around futures that complete on their second poll each
     * arm a timer and cancel it; none is left behind.
     */
    @Test
    void manyTimeoutsThatAreNotNeeded_leaveNoTimerBehind() {
        int n = 10_000;
        List<Future<Integer>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int value = i;
            all.add(Async.timeout(Duration.ofSeconds(10), Async.yieldNow().map(v -> value)));
        }
        List<Integer> values = rt.blockOn(Async.joinAll(all));
        assertThat(values).hasSize(n).element(n - 1).isEqualTo(n - 1);
        assertThat(timers()).isEqualTo(new RuntimeMetrics.TimerMetrics(0, 0, n));
    }

    @Test
    void timeoutPolledAfterItCompleted_failsClearly() {
        Future<Integer> t = Async.timeout(Duration.ofSeconds(1), Async.ready(1));
        rt.blockOn(t);
        assertThatThrownBy(() -> rt.blockOn(t)).isInstanceOf(IllegalStateException.class)
                .hasMessage("a 'timeout' future was polled after it completed");
    }

    @Test
    void badArguments_areRefused_namingThem() {
        assertThatThrownBy(() -> Async.timeout(Duration.ofSeconds(-1), Async.ready(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must not be negative, was PT-1S");
        assertThatThrownBy(() -> Async.timeout(null, Async.ready(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout");
        assertThatThrownBy(() -> Async.timeout(Duration.ZERO, null))
                .isInstanceOf(NullPointerException.class).hasMessage("future");
    }
}
