package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.RuntimeMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tour's section on a small workload: its figures balance and its answer is right. */
class CurrentThreadSectionTest {

    @Test
    void smallRun_countsEveryTaskOnce_andAgreesWithTheSieve() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CurrentThreadSection.Result r = new CurrentThreadSection(2_000, 200_000)
                .run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        RuntimeMetrics m = r.metrics();
        assertThat(r.primes()).isEqualTo(r.expectedPrimes()).isEqualTo(17_984);
        assertThat(m.tasksSpawned()).isEqualTo(r.tasks()).isEqualTo(2_000 + 5 + 2 * 4);
        assertThat(m.tasksCompleted() + m.tasksFailed() + m.tasksCancelled())
                .isEqualTo(m.tasksSpawned());
        assertThat(m.tasksFailed()).isEqualTo(5);
        assertThat(m.tasksCancelled()).isEqualTo(4);
        assertThat(m.liveTasks()).isZero();
        assertThat(m.wakes()).isPositive().isLessThan(m.polls());
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("what happened", "tasks spawned", "they agree");
    }

    @Test
    void sieve_countsKnownValues() {
        assertThat(CurrentThreadSection.sievePrimes(100)).isEqualTo(25);
        assertThat(CurrentThreadSection.sievePrimes(1_000_000)).isEqualTo(78_498);
    }
}
