package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.time.Interval;
import dev.weft.time.ManualClock;
import dev.weft.time.MissedTickBehavior;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Async.interval} (Tokio's time_interval tests): tick k at start + k x period, the first at
 * once, the phase kept however late the ticks are handled, and each missed-tick behaviour. On a
 * current-thread runtime with a manual clock: every instant is exact.
 */
class IntervalTest {

    private static final Instant START = SleepTest.START;
    private static final Duration PERIOD = Duration.ofMillis(10);

    private final ManualClock clock = new ManualClock(START);
    private final AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build();

    @AfterEach
    void shutDown() {
        rt.shutdown(Duration.ZERO);
    }

    private Ticks await(Interval interval, int count) {
        Ticks ticks = new Ticks(interval, count);
        rt.spawn(ticks);
        rt.runUntilStalled();
        return ticks;
    }

    private void advance(long millis) {
        clock.advance(Duration.ofMillis(millis));
        rt.runUntilStalled();
    }

    private static Instant at(long millis) {
        return START.plusMillis(millis);
    }

    @Test
    void firstTick_isImmediate_withTheStartInstant() {
        Ticks ticks = await(Async.interval(PERIOD), 10);
        assertThat(ticks.soFar()).containsExactly(START);
    }

    @Test
    void tickK_isDueAtStartPlusKPeriods_neverEarlier() {
        Ticks ticks = await(Async.interval(PERIOD), 10);
        for (int k = 1; k < 10; k++) {
            clock.advance(PERIOD.minusNanos(1));
            rt.runUntilStalled();
            assertThat(ticks.soFar()).as("one nanosecond before tick %d", k).hasSize(k);
            clock.advance(Duration.ofNanos(1));
            rt.runUntilStalled();
            assertThat(ticks.soFar()).hasSize(k + 1).last().isEqualTo(at(10L * k));
        }
    }

    /** A tick handled late, but before the next is due, moves nothing: even with DELAY. */
    @Test
    void lateTick_keepsThePhase() {
        Ticks ticks = await(Async.interval(PERIOD).missedTickBehavior(MissedTickBehavior.DELAY), 4);
        advance(17);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10));
        advance(2);
        assertThat(ticks.soFar()).hasSize(2);
        advance(1);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10), at(20));
    }

    @Test
    void burst_missedTicksCompleteAtOnce_andTheScheduleNeverMoves() {
        Interval interval = Async.interval(PERIOD);
        assertThat(interval.missedTickBehavior()).isEqualTo(MissedTickBehavior.BURST);
        Ticks ticks = await(interval, 6);
        advance(35);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10), at(20), at(30));
        advance(4);
        assertThat(ticks.soFar()).hasSize(4);
        advance(1);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10), at(20), at(30), at(40));
        advance(10);
        assertThat(ticks.soFar()).last().isEqualTo(at(50));
    }

    @Test
    void delay_theScheduleMovesToOnePeriodAfterTheLateTick() {
        Ticks ticks = await(Async.interval(PERIOD).missedTickBehavior(MissedTickBehavior.DELAY), 4);
        advance(35);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10));
        advance(9);
        assertThat(ticks.soFar()).hasSize(2);
        advance(1);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10), at(45));
        advance(10);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10), at(45), at(55));
    }

    @Test
    void skip_missedTicksAreDropped_andTheOriginalPhaseKept() {
        Ticks ticks = await(Async.interval(PERIOD).missedTickBehavior(MissedTickBehavior.SKIP), 4);
        advance(35);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10));
        advance(4);
        assertThat(ticks.soFar()).hasSize(2);
        advance(1);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10), at(40));
        advance(10);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10), at(40), at(50));
    }

    /** An interval created in a task starts at its creation, not at its first tick's poll. */
    @Test
    void intervalCreatedInTheRuntime_startsAtItsCreation() {
        Interval[] made = new Interval[1];
        rt.blockOn(cx -> {
            made[0] = Async.interval(PERIOD);
            return Poll.ready(null);
        });
        clock.advance(Duration.ofMillis(25));
        Ticks ticks = await(made[0], 4);
        assertThat(ticks.soFar()).containsExactly(at(0), at(10), at(20));
        advance(5);
        assertThat(ticks.soFar()).last().isEqualTo(at(30));
    }

    /** Each tick arms one timer, which is gone once the tick completes. */
    @Test
    void ticks_leaveNoTimerBehind() {
        Ticks ticks = await(Async.interval(PERIOD), 3);
        assertThat(rt.metrics().timers().pending()).isEqualTo(1);
        advance(20);
        assertThat(ticks.soFar()).hasSize(3);
        assertThat(rt.metrics().timers().pending()).isZero();
    }

    @Test
    void badArguments_areRefused_namingThem() {
        assertThatThrownBy(() -> Async.interval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interval period must be more than zero, was PT0S");
        assertThatThrownBy(() -> Async.interval(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interval period must be more than zero, was PT-0.005S");
        assertThatThrownBy(() -> Async.interval(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("period");
        assertThatThrownBy(() -> Async.interval(PERIOD).missedTickBehavior(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("missedTickBehavior");
        assertThat(Async.interval(PERIOD).period()).isEqualTo(PERIOD);
    }
}
