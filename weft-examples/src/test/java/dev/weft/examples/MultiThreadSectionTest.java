package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.RuntimeMetrics;
import dev.weft.RuntimeMetrics.WorkerMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The tour's multi-thread section on a small workload: its figures balance and its answer is right.
 */
class MultiThreadSectionTest {

    @Test
    void smallRun_countsEveryTaskOnce_spreadsTheWork_andAgreesWithTheSieve() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MultiThreadSection.Result r = new MultiThreadSection(2, 400, 400_000)
                .run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        RuntimeMetrics m = r.metrics();
        assertThat(r.primes()).isEqualTo(r.expectedPrimes()).isEqualTo(33_860);
        // 63 splitters for 200 jobs in leaves of at most 8
        assertThat(m.tasksSpawned()).isEqualTo(r.tasks()).isEqualTo(63 + 400 + 1);
        assertThat(m.tasksCompleted()).isEqualTo(m.tasksSpawned());
        assertThat(m.liveTasks()).isZero();
        assertThat(m.workers()).hasSize(2);
        assertThat(m.workers())
                .allSatisfy(w -> assertThat(w.threadName()).startsWith("tour-worker-"));
        // Every task is taken to run at least once, from a local queue or the global one (a task
        // taken by a steal runs at once, and is counted as local when it runs again after a yield;
        // the splitters and the blocking call's task do not yield, hence the margin).
        assertThat(m.total(WorkerMetrics::localExecutions)
                        + m.total(WorkerMetrics::injectedExecutions))
                .isGreaterThanOrEqualTo(400);
        assertThat(r.idleCpuNanos()).isNotNegative();
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("worker", "steal tries", "parks", "worker CPU while idle", "they agree");
    }
}
