package dev.weft.examples;

import dev.weft.AsyncRuntime;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.RuntimeMetrics;
import dev.weft.TaskOptions;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The tour's priority section: a flood of BACKGROUND tasks fills the queues, and CRITICAL tasks,
 * each with a deadline, arrive from outside every millisecond while it drains. The same workload
 * runs twice, with priority scheduling and without, and the section prints how long each kind of
 * task waited to start (spawn to first poll), and how many CRITICAL tasks missed their deadline.
 */
final class PrioritySection {

    private static final long FLOOD_TASK_NANOS = 5_000;
    private static final long ARRIVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CRITICAL_DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int workers;
    private final int floodTasks;

    PrioritySection(int workers, int floodTasks) {
        this.workers = workers;
        this.floodTasks = floodTasks;
    }

    /** One run of the workload. */
    record Run(boolean priorities, Histogram criticalDelays, Histogram floodDelays,
            RuntimeMetrics metrics, long wallNanos) {
    }

    /** Both runs. */
    record Result(Run withPriorities, Run fifo, int floodTasks) {
    }

    Result run(PrintStream out) {
        out.printf("3. Priorities: CRITICAL tasks through a BACKGROUND flood, %d workers%n",
                workers);
        out.printf("   %,d BACKGROUND tasks of ~%d us are queued at once; then a CRITICAL task "
                + "with a deadline %d ms%n",
                floodTasks, FLOOD_TASK_NANOS / 1000, CRITICAL_DEADLINE_NANOS / 1_000_000);
        out.printf("   ahead arrives every %d ms from the main thread until the flood has drained. "
                + "Run twice: with%n",
                ARRIVAL_NANOS / 1_000_000);
        out.printf("   priority scheduling (the default), and with priorityScheduling(false), "
                + "plain FIFO, after two%n");
        out.printf("   runs of each that warm up the JIT (not shown).%n%n");
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        for (int warmUp = 0; warmUp < 2; warmUp++) {
            runOnce(quiet, true);
            runOnce(quiet, false);
        }
        Run withPriorities = runOnce(out, true);
        Run fifo = runOnce(out, false);
        print(out, withPriorities, fifo);
        return new Result(withPriorities, fifo, floodTasks);
    }

    private Run runOnce(PrintStream out, boolean priorities) {
        Recorder critical = new Recorder(3);
        Recorder flood = new Recorder(3);
        CountDownLatch floodDone = new CountDownLatch(floodTasks);
        TaskOptions background = TaskOptions.priority(Priority.BACKGROUND).name("flood");
        long start = System.nanoTime();
        RuntimeMetrics metrics;
        try (AsyncRuntime runtime = AsyncRuntime.builder()
                .workerThreads(workers)
                .threadNamePrefix(priorities ? "tour-prio-" : "tour-fifo-")
                .priorityScheduling(priorities)
                .build()) {
            out.printf("   %s:%n",
                    priorities ? "with priority scheduling" : "priorityScheduling(false)");
            Progress progress = new Progress(runtime, floodTasks, out);
            try {
                for (int i = 0; i < floodTasks; i++) {
                    long spawnedAt = System.nanoTime();
                    runtime.spawn(background, cx -> {
                        flood.recordValue(System.nanoTime() - spawnedAt);
                        spin(FLOOD_TASK_NANOS);
                        floodDone.countDown();
                        return Poll.ready(null);
                    });
                }
                long arrivals = System.nanoTime();
                for (long k = 1; floodDone.getCount() > 0; k++) {
                    long due = arrivals + k * ARRIVAL_NANOS;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    long spawnedAt = System.nanoTime();
                    TaskOptions urgent = TaskOptions.priority(Priority.CRITICAL)
                            .deadline(Instant.now().plusNanos(CRITICAL_DEADLINE_NANOS))
                            .name("critical-" + k);
                    runtime.spawn(urgent, cx -> {
                        critical.recordValue(System.nanoTime() - spawnedAt);
                        return Poll.ready(null);
                    });
                }
            } finally {
                progress.stop();
            }
            if (!runtime.shutdown(java.time.Duration.ofSeconds(30))) {
                throw new IllegalStateException(
                        "the priority section's tasks did not end within 30 s");
            }
            metrics = runtime.metrics();
        }
        return new Run(priorities, critical.getIntervalHistogram(), flood.getIntervalHistogram(),
                metrics,
                System.nanoTime() - start);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    private static void print(PrintStream out, Run on, Run off) {
        out.println();
        Table delays = new Table("start delay (spawn to first poll)", "tasks", "p50", "p99", "max");
        delayRow(delays, "CRITICAL, with priorities", on.criticalDelays());
        delayRow(delays, "BACKGROUND flood, with priorities", on.floodDelays());
        delayRow(delays, "CRITICAL, FIFO", off.criticalDelays());
        delayRow(delays, "BACKGROUND flood, FIFO", off.floodDelays());
        delays.print(out, "   ");
        out.println();
        Table perPriority = new Table("per priority (metrics())", "started", "after deadline",
                "started, FIFO",
                "after deadline, FIFO");
        for (Priority p : new Priority[] {Priority.CRITICAL, Priority.BACKGROUND}) {
            RuntimeMetrics.PriorityMetrics a = on.metrics().priority(p);
            RuntimeMetrics.PriorityMetrics b = off.metrics().priority(p);
            perPriority.row(p, a.started(), a.startedAfterDeadline(), b.started(),
                    b.startedAfterDeadline());
        }
        perPriority.print(out, "   ");
        out.println();
        Table.whatHappened(on.metrics())
                .row("wall time, with priorities", String.format("%.2f s", on.wallNanos() / 1e9))
                .row("wall time, FIFO", String.format("%.2f s", off.wallNanos() / 1e9))
                .print(out, "   ");
        out.println();
    }

    private static void delayRow(Table table, String label, Histogram h) {
        table.row(label, h.getTotalCount(), micros(h.getValueAtPercentile(50)),
                micros(h.getValueAtPercentile(99)),
                micros(h.getMaxValue()));
    }

    private static String micros(long nanos) {
        return nanos >= 10_000_000 ? String.format("%.0f ms", nanos / 1e6)
                : String.format("%.0f us", nanos / 1e3);
    }
}
