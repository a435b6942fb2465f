package dev.weft.time.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one helper that turns a timeout into a deadline: at the extremes of every unit, a deadline
 * never wraps, a timeout of zero or less is due at once, and one too long to count is no deadline.
 */
class NanosTest {

    private static final long[] TIMEOUTS = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};

    @ParameterizedTest
    @EnumSource(value = TimeUnit.class,
            names = {"NANOSECONDS", "MICROSECONDS", "MILLISECONDS", "SECONDS", "DAYS"})
    void deadline_atTheExtremesOfAUnit_neverWraps(TimeUnit unit) {
        for (long now : new long[] {0, 1_000_000_000_000L, Long.MAX_VALUE - 10,
                Long.MIN_VALUE + 10, -5}) {
            for (long timeout : TIMEOUTS) {
                long nanos = unit.toNanos(timeout);
                long deadline = Nanos.deadline(now, nanos);
                long left = Nanos.remaining(deadline, now);
                String what = timeout + " " + unit + " from " + now;
                if (timeout <= 0) {
                    assertThat(deadline).as(what).isEqualTo(now);
                    assertThat(left).as(what).isZero();
                } else if (deadline == Nanos.FOREVER) {
                    // no deadline: the timeout was FOREVER, or too long to add to now
                    assertThat(nanos == Nanos.FOREVER || now + nanos < now).as(what).isTrue();
                    assertThat(left).as(what).isEqualTo(Nanos.FOREVER);
                } else {
                    assertThat(left).as(what).isEqualTo(nanos);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1_000_000, Long.MAX_VALUE - 1})
    void remaining_afterTheDeadline_isZero_andForeverStaysForever(long now) {
        assertThat(Nanos.remaining(now - 1, now)).isZero();
        assertThat(Nanos.remaining(now, now)).isZero();
        assertThat(Nanos.remaining(Nanos.FOREVER, now)).isEqualTo(Nanos.FOREVER);
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE})
    void durationsOfEveryLength_convertSaturated(long seconds) {
        long nanos = Nanos.of(Duration.ofSeconds(seconds));
        if (seconds == Long.MAX_VALUE) {
            assertThat(nanos).isEqualTo(Nanos.FOREVER);
        } else if (seconds == Long.MIN_VALUE) {
            assertThat(nanos).isEqualTo(Long.MIN_VALUE);
        } else {
            assertThat(nanos).isEqualTo(seconds * 1_000_000_000L);
        }
        assertThat(Nanos.of(ChronoUnit.FOREVER.getDuration())).isEqualTo(Nanos.FOREVER);
        assertThat(Nanos.of(Duration.ofNanos(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sumsAndDifferences_saturate() {
        assertThat(Nanos.add(Long.MAX_VALUE - 1, 2)).isEqualTo(Nanos.FOREVER);
        assertThat(Nanos.add(Long.MIN_VALUE + 1, -2)).isEqualTo(Long.MIN_VALUE);
        assertThat(Nanos.add(5, -7)).isEqualTo(-2);
        assertThat(Nanos.subtract(Long.MIN_VALUE + 1, 2)).isEqualTo(Long.MIN_VALUE);
        assertThat(Nanos.subtract(Long.MAX_VALUE - 1, -2)).isEqualTo(Nanos.FOREVER);
        assertThat(Nanos.subtract(5, 7)).isEqualTo(-2);
        assertThat(Nanos.between(Instant.MIN, Instant.MAX)).isEqualTo(Nanos.FOREVER);
        assertThat(Nanos.between(Instant.MAX, Instant.MIN)).isEqualTo(Long.MIN_VALUE);
    }
}
