package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The tour's timer section on a small workload: every sleep woke, none early, the interval kept its
 * phase.
 */
class TimerSectionTest {

    @Test
    void smallRun_wakesEverySleep_neverEarly_keepsTheIntervalsPhase_andLeavesNoTimer() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TimerSection.Result r =
                new TimerSection(2, 500).run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(r.lateness().getTotalCount()).isEqualTo(500);
        assertThat(r.earlyWakes()).isZero();
        assertThat(r.ticks()).hasSize(10);
        Instant start = r.ticks().get(0).scheduled();
        for (int k = 0; k < r.ticks().size(); k++) {
            assertThat(r.ticks().get(k).scheduled())
                    .isEqualTo(start.plus(Duration.ofMillis(20L * k)));
            assertThat(r.ticks().get(k).latenessNanos()).isNotNegative();
        }
        assertThat(r.fastResult()).isEqualTo("done in 10 ms");
        assertThat(r.slowTimedOut()).isTrue();
        assertThat(r.slowFailedAfterNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(r.metrics().timers().pending()).isZero();
        // the fast job's timeout, the slow job's sleep
        assertThat(r.metrics().timers().cancelled()).isGreaterThanOrEqualTo(2);
        assertThat(r.metrics().liveTasks()).isZero();
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains(
                "how late a sleep woke", "due at (from start)", "DeadlineExceededException",
                "timers pending at the end");
    }
}
