package dev.weft.time.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.Clock;
import dev.weft.time.ManualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The clock readings a driving thread promises the timers it creates (see ClockReading): each is
 * the thread's first reading after the promise, taken at its next look at its wheel, before it
 * parks, or after {@value TimerScope#PROMISES_PER_READING} promises; the entries armed for it
 * are placed at it. On the system clock, since a manual one promises nothing.
 */
class TimerScopeTest {

    private static final long MS = TimerWheel.TICK_NANOS;

    private final Timers timers = new Timers(Clock.system(), 1, () -> true);
    private final TimerScope scope = new TimerScope(timers, () -> { }, true);

    @Test
    void promisedReading_isTheThreadsNextReading() {
        ClockReading promised = scope.promiseReading();
        assertThat(promised.isFilled()).isFalse();
        assertThat(scope.isNextReading(promised)).isTrue();
        long now = scope.readClock();
        assertThat(promised.isFilled()).isTrue();
        assertThat(promised.nanos()).isEqualTo(now);
        assertThat(scope.isNextReading(promised)).isFalse();
        assertThat(scope.promiseReading()).as("a timer created after it waits for the next")
                .isNotSameAs(promised);
    }

    @Test
    void readingNobodyWaitsFor_fillsNoPromise() {
        ClockReading first = scope.promiseReading();
        scope.readClock();
        scope.readClock();
        ClockReading second = scope.promiseReading();
        assertThat(second.isFilled()).isFalse();
        long now = scope.readClock();
        assertThat(second.nanos()).isEqualTo(now).isGreaterThanOrEqualTo(first.nanos());
    }

    /**
     * A poll creating timers by the thousand reads the clock for every few of them, not only when
     * it ends.
     */
    @Test
    void manyPromises_takeAReadingEveryFew() {
        ClockReading first = scope.promiseReading();
        for (int i = 2; i < TimerScope.PROMISES_PER_READING; i++) {
            assertThat(scope.promiseReading()).isSameAs(first);
        }
        assertThat(first.isFilled()).isFalse();
        long before = System.nanoTime();
        ClockReading next = scope.promiseReading();
        assertThat(first.isFilled()).as("taken for the promises before this one").isTrue();
        assertThat(first.nanos()).isGreaterThanOrEqualTo(before);
        assertThat(next).isNotSameAs(first);
        assertThat(next.isFilled()).isFalse();
    }

    @Test
    void lookAtTheWheel_takesAnAwaitedReading_evenWithNoTimerArmed() {
        ClockReading promised = scope.promiseReading();
        assertThat(scope.fireDue()).isZero();
        assertThat(promised.isFilled()).isTrue();
    }

    @Test
    void park_takesAnAwaitedReadingFirst() {
        ClockReading promised = scope.promiseReading();
        assertThat(scope.parkNanos(1_000)).isEqualTo(1_000);
        assertThat(promised.isFilled())
                .as("a timer created before the park does not count from after it").isTrue();
    }

    @Test
    void entryArmedForTheReading_isPlacedAtIt() {
        scope.promiseReading();
        TimerEntry e = new TimerEntry();
        e.armAtReading(scope.wheel(), 5 * MS, () -> { });
        assertThat(scope.wheel().nextDue()).as("its deadline unknown, the owner must look at once")
                .isLessThanOrEqualTo(System.nanoTime());
        long now = scope.readClock();
        long due = scope.wheel().nextDue();
        assertThat(due).isGreaterThanOrEqualTo(now + 5 * MS).isLessThan(now + 6 * MS);
    }

    @Test
    void manualClock_promisesNoReading() {
        Timers manual = new Timers(new ManualClock(Instant.EPOCH), 1, () -> true);
        assertThat(new TimerScope(manual, () -> { }, true).promiseReading()).isNull();
    }
}
