package dev.weft.bench;

import dev.weft.AsyncRuntime;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.TaskOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Start delay (spawn to first poll) of CRITICAL tasks arriving every {@value #ARRIVAL_MICROS} us
 * while {@value #DEFAULT_FLOOD} BACKGROUND tasks of about {@value #FLOOD_TASK_NANOS} ns each flood
 * {@value #WORKERS} workers, the issue-4 workload, on three schedulers in the same run:
 * <ul>
 *   <li>{@code weft}: the CRITICAL tasks spawned as CRITICAL;</li>
 *   <li>{@code weft-one-priority}: every task at BACKGROUND, so the CRITICAL ones wait their turn
 *       (what any FIFO scheduler does);</li>
 *   <li>{@code forkJoin}: {@code new ForkJoinPool(2)}, tasks submitted with {@code execute}.</li>
 * </ul>
 * The flood is queued first, from the harness thread; the CRITICAL tasks then arrive from it on a
 * fixed schedule until the flood is done. Each round runs the three one after the other; the
 * first round is a warm-up. Reported per scheduler: the medians over the measured rounds of each
 * round's p50, p99 and max, the flood's duration, and the ratio of Weft's p99 to ForkJoinPool's.
 * Not JMH: it measures a latency distribution under a load, not a throughput.
 *
 * <p>Run it with a young generation large enough to hold a round's garbage ({@code -Xmn1g}): a
 * young collection that copies 200,000 queued tasks pauses every thread for tens of
 * milliseconds, which would measure the collector, not the schedulers.
 *
 * <pre>java -Xms2g -Xmn1g -cp weft-bench/target/benchmarks.jar dev.weft.bench.PriorityLatency
 * [floodTasks] [rounds]</pre>
 */
public final class PriorityLatency {

    static final int WORKERS = 2;
    static final int DEFAULT_FLOOD = 200_000;
    static final int DEFAULT_ROUNDS = 5;
    static final long FLOOD_TASK_NANOS = 2_000;
    static final long ARRIVAL_MICROS = 500;

    private static final String[] SCHEDULERS = {"weft", "weft-one-priority", "forkJoin"};

    private PriorityLatency() {
    }

    /** One round's figures for one scheduler. */
    private record Round(long p50Nanos, long p99Nanos, long maxNanos, long count, long floodNanos) {
    }

    public static void main(String[] args) throws InterruptedException {
        int flood = Harness.positive(args, 0, "floodTasks", DEFAULT_FLOOD);
        int rounds = Harness.positive(args, 1, "rounds", DEFAULT_ROUNDS);
        System.out.printf("CRITICAL start delay: one every %d us during a flood of %,d BACKGROUND "
                + "tasks of ~%d ns, %d workers, JDK %s%n",
                ARRIVAL_MICROS, flood, FLOOD_TASK_NANOS, WORKERS, Runtime.version());
        List<List<Round>> results = new ArrayList<>();
        for (String ignored : SCHEDULERS) {
            results.add(new ArrayList<>());
        }
        for (int round = 0; round <= rounds; round++) {
            for (int s = 0; s < SCHEDULERS.length; s++) {
                Round r = run(SCHEDULERS[s], flood);
                if (round > 0) { // round 0 warms up the JIT
                    results.get(s).add(r);
                }
            }
        }
        System.out.printf("%-18s %12s %12s %12s %8s %12s%n", "scheduler", "p50 (us)", "p99 (us)",
                "max (us)", "n", "flood (ms)");
        long[] p99 = new long[SCHEDULERS.length];
        for (int s = 0; s < SCHEDULERS.length; s++) {
            List<Round> rs = results.get(s);
            p99[s] = Harness.median(rs, Round::p99Nanos);
            System.out.printf("%-18s %12.1f %12.1f %12.1f %8d %12.1f%n", SCHEDULERS[s],
                    Harness.median(rs, Round::p50Nanos) / 1e3, p99[s] / 1e3,
                    Harness.median(rs, Round::maxNanos) / 1e3,
                    Harness.median(rs, Round::count), Harness.median(rs, Round::floodNanos) / 1e6);
        }
        System.out.printf("medians of %d rounds; p99 ratio weft / forkJoin = %.4f, weft / "
                + "weft-one-priority = %.4f%n",
                rounds, (double) p99[0] / p99[2], (double) p99[0] / p99[1]);
    }

    private static Round run(String scheduler, int flood) throws InterruptedException {
        System.gc(); // the previous run's garbage, collected outside the measurement
        Recorder delays = new Recorder(3);
        CountDownLatch floodDone = new CountDownLatch(flood);
        Submitter submitter = switch (scheduler) {
            case "weft" -> new WeftSubmitter(Priority.CRITICAL);
            case "weft-one-priority" -> new WeftSubmitter(Priority.BACKGROUND);
            case "forkJoin" -> new ForkJoinSubmitter();
            default -> throw new IllegalArgumentException("scheduler: unknown value '"
                    + scheduler + "'");
        };
        try {
            for (int i = 0; i < flood; i++) {
                submitter.background(() -> {
                    long end = System.nanoTime() + FLOOD_TASK_NANOS;
                    while (System.nanoTime() - end < 0) {
                        Thread.onSpinWait();
                    }
                    floodDone.countDown();
                });
            }
            // Arrivals on a fixed schedule (start + k x period) from the moment the flood is
            // queued, until it is done.
            long start = System.nanoTime();
            long period = TimeUnit.MICROSECONDS.toNanos(ARRIVAL_MICROS);
            for (long k = 1; floodDone.getCount() > 0; k++) {
                long due = start + k * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long spawnedAt = System.nanoTime();
                submitter.critical(() -> delays.recordValue(System.nanoTime() - spawnedAt));
            }
            long floodNanos = System.nanoTime() - start;
            if (!floodDone.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(scheduler
                        + ": the flood did not finish within 60 s");
            }
            Histogram h = submitter.drainAndGet(delays);
            return new Round(h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getMaxValue(),
                    h.getTotalCount(), floodNanos);
        } finally {
            submitter.close();
        }
    }

    /** How each scheduler takes the two kinds of task. */
    private interface Submitter extends AutoCloseable {
        void background(Runnable work);

        void critical(Runnable work);

        /** Waits until every CRITICAL task ran, then returns their delays. */
        Histogram drainAndGet(Recorder delays) throws InterruptedException;

        @Override
        void close();
    }

    private static final class WeftSubmitter implements Submitter {
        private static final TaskOptions BACKGROUND = TaskOptions.priority(Priority.BACKGROUND);
        private final AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(WORKERS).build();
        private final TaskOptions critical;

        WeftSubmitter(Priority critical) {
            this.critical = TaskOptions.priority(critical);
        }

        @Override
        public void background(Runnable work) {
            runtime.spawn(BACKGROUND, cx -> {
                work.run();
                return Poll.ready(null);
            });
        }

        @Override
        public void critical(Runnable work) {
            runtime.spawn(critical, cx -> {
                work.run();
                return Poll.ready(null);
            });
        }

        @Override
        public Histogram drainAndGet(Recorder delays) {
            if (!runtime.shutdown(Duration.ofSeconds(60))) {
                throw new IllegalStateException("weft: tasks still live 60 s after the flood");
            }
            return delays.getIntervalHistogram();
        }

        @Override
        public void close() {
            runtime.close();
        }
    }

    private static final class ForkJoinSubmitter implements Submitter {
        private final ForkJoinPool pool = new ForkJoinPool(WORKERS);

        @Override
        public void background(Runnable work) {
            pool.execute(work);
        }

        @Override
        public void critical(Runnable work) {
            pool.execute(work);
        }

        @Override
        public Histogram drainAndGet(Recorder delays) throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "forkJoin: tasks still running 60 s after the flood");
            }
            return delays.getIntervalHistogram();
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
