package dev.weft.bench;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sleep lateness (how long after its deadline a sleep's code runs) with {@value #DEFAULT_PENDING}
 * timers pending, the issue-5 goal: {@value #DEFAULT_PENDING} sleeps of a minute are armed first;
 * then, one every {@value #ARRIVAL_MICROS} us on a fixed schedule, {@value #DEFAULT_SLEEPS} sleeps
 * of 1 to {@value #MAX_DELAY_MS} ms (pseudo-random, the same for every timer) are started from the
 * harness thread. Weft ({@value #THREADS} workers): each is a task that creates
 * {@code Async.sleep(d)} on its first poll and records, when the sleep completes, the time since
 * it was created minus d. The peers ({@code ScheduledThreadPoolExecutor(2)}, Netty's
 * {@code HashedWheelTimer} with 1 ms ticks, and on JDK 25 {@code ForkJoinPool(2)}'s delayed
 * tasks): a {@code Runnable} scheduled with delay d that records the time since it was scheduled
 * minus d. Each round runs every timer one after the other; the first round warms up. Reported: the
 * medians over the rounds of each round's p50, p99, p99.9 and max, and Weft's p99 over each
 * peer's. Not JMH: it measures a latency distribution, not a throughput.
 *
 * <pre>java -cp weft-bench/target/benchmarks.jar dev.weft.bench.TimerLatency [pendingTimers]
 * [sleeps] [rounds]</pre>
 */
public final class TimerLatency {

    static final int THREADS = 2;
    static final int DEFAULT_PENDING = 100_000;
    static final int DEFAULT_SLEEPS = 20_000;
    static final int DEFAULT_ROUNDS = 5;
    static final long ARRIVAL_MICROS = 100;
    static final int MAX_DELAY_MS = 50;
    static final Duration PENDING_DELAY = Duration.ofMinutes(1);

    private TimerLatency() {
    }

    /** One round's figures for one timer. */
    private record Round(long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos, long count) {
    }

    public static void main(String[] args) throws InterruptedException {
        int pending = Harness.positive(args, 0, "pendingTimers", DEFAULT_PENDING);
        int sleeps = Harness.positive(args, 1, "sleeps", DEFAULT_SLEEPS);
        int rounds = Harness.positive(args, 2, "rounds", DEFAULT_ROUNDS);
        List<String> timers =
                new ArrayList<>(List.of("weft", "scheduledThreadPool", "hashedWheel"));
        if ((Object) ForkJoinPool.commonPool() instanceof ScheduledExecutorService) {
            timers.add("forkJoin"); // JDK 25+
        }
        System.out.printf("Sleep lateness: %,d sleeps of 1-%d ms, one every %d us, with %,d timers "
                + "of %s pending, %d threads, JDK %s%n", sleeps, MAX_DELAY_MS, ARRIVAL_MICROS,
                pending, PENDING_DELAY, THREADS, Runtime.version());
        long[] delays = new long[sleeps];
        Random random = new Random(5);
        for (int i = 0; i < sleeps; i++) {
            delays[i] = TimeUnit.MILLISECONDS.toNanos(1 + random.nextInt(MAX_DELAY_MS));
        }
        List<List<Round>> results = new ArrayList<>();
        for (String ignored : timers) {
            results.add(new ArrayList<>());
        }
        for (int round = 0; round <= rounds; round++) {
            for (int t = 0; t < timers.size(); t++) {
                Round r = run(timers.get(t), pending, delays);
                if (round > 0) { // round 0 warms up the JIT
                    results.get(t).add(r);
                }
            }
        }
        System.out.printf("%-20s %10s %10s %10s %10s %8s%n", "timer", "p50 (us)", "p99 (us)",
                "p99.9 (us)", "max (us)", "n");
        long[] p99 = new long[timers.size()];
        for (int t = 0; t < timers.size(); t++) {
            List<Round> rs = results.get(t);
            p99[t] = Harness.median(rs, Round::p99Nanos);
            System.out.printf("%-20s %10.1f %10.1f %10.1f %10.1f %8d%n", timers.get(t),
                    Harness.median(rs, Round::p50Nanos) / 1e3, p99[t] / 1e3,
                    Harness.median(rs, Round::p999Nanos) / 1e3,
                    Harness.median(rs, Round::maxNanos) / 1e3, Harness.median(rs, Round::count));
        }
        StringBuilder ratios = new StringBuilder();
        for (int t = 1; t < timers.size(); t++) {
            ratios.append(
                    String.format("; weft / %s = %.2f", timers.get(t), (double) p99[0] / p99[t]));
        }
        System.out.printf("medians of %d rounds; p99 ratio%s%n", rounds, ratios);
    }

    private static Round run(String timer, int pending, long[] delays) throws InterruptedException {
        System.gc(); // the previous run's garbage, collected outside the measurement
        Recorder lateness = new Recorder(3);
        CountDownLatch done = new CountDownLatch(delays.length);
        try (Timers timers = Timers.of(timer)) {
            timers.armPending(pending);
            long start = System.nanoTime();
            long period = TimeUnit.MICROSECONDS.toNanos(ARRIVAL_MICROS);
            for (int k = 0; k < delays.length; k++) {
                long due = start + k * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                timers.sleep(delays[k], late -> {
                    lateness.recordValue(Math.max(0, late));
                    done.countDown();
                });
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(timer + ": " + done.getCount()
                        + " sleeps still pending after 60 s");
            }
        }
        Histogram h = lateness.getIntervalHistogram();
        return new Round(h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(), h.getTotalCount());
    }

    /** How each timer arms the pending sleeps and runs a measured one. */
    private abstract static class Timers implements AutoCloseable {

        static Timers of(String timer) {
            return switch (timer) {
                case "weft" -> new WeftTimers();
                case "scheduledThreadPool" -> {
                    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(THREADS);
                    pool.setRemoveOnCancelPolicy(true);
                    yield new ExecutorTimers(pool);
                }
                case "forkJoin" -> new ExecutorTimers(
                        (ScheduledExecutorService) (Object) new ForkJoinPool(THREADS));
                case "hashedWheel" -> new WheelTimers();
                default -> throw new IllegalArgumentException("timer: unknown value '"
                        + timer + "'");
            };
        }

        /** Arms {@code n} sleeps of {@link #PENDING_DELAY}, and returns once all are armed. */
        abstract void armPending(int n) throws InterruptedException;

        /** Starts a sleep of {@code nanos}; {@code lateness} gets how late its code ran. */
        abstract void sleep(long nanos, java.util.function.LongConsumer lateness);

        @Override
        public abstract void close();
    }

    private static final class WeftTimers extends Timers {
        private final AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(THREADS).build();

        @Override
        void armPending(int n) {
            for (int i = 0; i < n; i++) {
                runtime.spawn(Async.sleep(PENDING_DELAY));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (runtime.metrics().timers().pending() < n) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("weft: " + n + " sleeps not armed after 60 s");
                }
                LockSupport.parkNanos(1_000_000);
            }
        }

        @Override
        void sleep(long nanos, java.util.function.LongConsumer lateness) {
            Duration d = Duration.ofNanos(nanos);
            runtime.spawn(Async.ready(null).then(v -> {
                long created = System.nanoTime();
                return Async.sleep(d).map(x -> {
                    lateness.accept(System.nanoTime() - created - nanos);
                    return null;
                });
            }));
        }

        @Override
        public void close() {
            runtime.shutdown(Duration.ZERO); // cancels the pending sleeps
        }
    }

    private static final class ExecutorTimers extends Timers {
        private final ScheduledExecutorService scheduler;

        ExecutorTimers(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        void armPending(int n) {
            Runnable never = () -> { };
            for (int i = 0; i < n; i++) {
                scheduler.schedule(never, PENDING_DELAY.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        @Override
        void sleep(long nanos, java.util.function.LongConsumer lateness) {
            long scheduled = System.nanoTime();
            scheduler.schedule(() -> lateness.accept(System.nanoTime() - scheduled - nanos), nanos,
                    TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
        }
    }

    private static final class WheelTimers extends Timers {
        private final HashedWheelTimer wheel = new HashedWheelTimer(runnable -> {
            Thread t = new Thread(runnable, "hashed-wheel");
            t.setDaemon(true);
            return t;
        }, 1, TimeUnit.MILLISECONDS, 512);

        @Override
        void armPending(int n) throws InterruptedException {
            for (int i = 0; i < n; i++) {
                wheel.newTimeout(t -> { }, PENDING_DELAY.toNanos(), TimeUnit.NANOSECONDS);
            }
            // The wheel's thread moves at most 100,000 new timeouts a tick into its buckets.
            Thread.sleep(n / 100_000 + 5);
        }

        @Override
        void sleep(long nanos, java.util.function.LongConsumer lateness) {
            long scheduled = System.nanoTime();
            wheel.newTimeout(t -> lateness.accept(System.nanoTime() - scheduled - nanos), nanos,
                    TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            wheel.stop();
        }
    }
}
