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
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sleep lateness (how long after its deadline a sleep's code runs), in two scenarios, Weft
 * ({@value #THREADS} workers) against {@code ScheduledThreadPoolExecutor(2)}, Netty's
 * {@code HashedWheelTimer} with 1 ms ticks, and on JDK 25 {@code ForkJoinPool(2)}'s delayed tasks.
 *
 * <ul>
 *   <li><b>Steady</b>, with {@value #DEFAULT_PENDING} timers pending (the issue-5 goal):
 *       {@value #DEFAULT_PENDING} sleeps of a minute are armed first; then, one every
 *       {@value #ARRIVAL_MICROS} us on a fixed schedule, {@value #DEFAULT_SLEEPS} sleeps of 1 to
 *       {@value #MAX_DELAY_MS} ms are started from the harness thread. Weft: each is a task that
 *       creates {@code Async.sleep(d)} on its first poll and records, when the sleep completes,
 *       the time since it was created minus d.</li>
 *   <li><b>Burst</b> (the issue-7 goal): {@value #DEFAULT_BURST} sleeps of 1 to
 *       {@value #BURST_MAX_DELAY_MS} ms started from the harness thread as fast as it can, nothing
 *       else pending. Weft: each is a task spawned from that thread, twice: a task that is the
 *       sleep, created at the spawn (so it counts d from then, as the peers' callbacks do), and
 *       then (Weft alone) a task that creates its sleep in its first poll, with its lateness
 *       counted from the spawn, so that the time it waits in the queue before that poll counts
 *       against it.</li>
 * </ul>
 * The peers: a {@code Runnable} scheduled with delay d that records the time since it was
 * scheduled minus d. The delays are pseudo-random, the same for every timer. Each round runs
 * every timer one after the other; the first round warms up. Reported: the medians over the
 * rounds of each round's p50, p99, p99.9 and max, Weft's p99 over each peer's, and how many sleeps
 * ended early (never, for any timer, or the run fails). Not JMH: it measures a latency
 * distribution, not a throughput.
 *
 * <pre>java -cp weft-bench/target/benchmarks.jar dev.weft.bench.TimerLatency [pendingTimers]
 * [sleeps] [rounds] [burstSleeps]</pre>
 */
public final class TimerLatency {

    static final int THREADS = 2;
    static final int DEFAULT_PENDING = 100_000;
    static final int DEFAULT_SLEEPS = 20_000;
    static final int DEFAULT_ROUNDS = 5;
    static final long ARRIVAL_MICROS = 100;
    static final int MAX_DELAY_MS = 50;
    static final int DEFAULT_BURST = 100_000;
    static final int BURST_MAX_DELAY_MS = 200;
    static final Duration PENDING_DELAY = Duration.ofMinutes(1);

    private TimerLatency() {
    }

    /** One round's figures for one timer. */
    private record Round(long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos, long count,
            long early) {
    }

    /** Where a Weft sleep is created, and what its lateness counts from. */
    enum WeftSleep {
        /** In the task's first poll; lateness from that creation. */
        IN_FIRST_POLL,
        /** In the task's first poll; lateness from the spawn, so queueing before it counts. */
        IN_FIRST_POLL_LATE_FROM_SPAWN,
        /** At the spawn, by the spawning thread (the task is the sleep); lateness from then. */
        AT_SPAWN
    }

    /**
     * One scenario: sleeps started at {@code arrivalNanos} intervals (0: as fast as the harness
     * thread can) with {@code pending} long timers armed first.
     */
    private record Scenario(String name, int pending, long[] delays, long arrivalNanos,
            WeftSleep weftSleep) {
    }

    public static void main(String[] args) throws InterruptedException {
        int pending = Harness.positive(args, 0, "pendingTimers", DEFAULT_PENDING);
        int sleeps = Harness.positive(args, 1, "sleeps", DEFAULT_SLEEPS);
        int rounds = Harness.positive(args, 2, "rounds", DEFAULT_ROUNDS);
        int burst = Harness.positive(args, 3, "burstSleeps", DEFAULT_BURST);
        List<String> timers =
                new ArrayList<>(List.of("weft", "scheduledThreadPool", "hashedWheel"));
        if ((Object) ForkJoinPool.commonPool() instanceof ScheduledExecutorService) {
            timers.add("forkJoin"); // JDK 25+
        }
        System.out.printf("Sleep lateness, %d threads, JDK %s%n", THREADS, Runtime.version());
        report(new Scenario(String.format("Steady: %,d sleeps of 1-%d ms, one every %d us, with "
                + "%,d timers of %s pending", sleeps, MAX_DELAY_MS, ARRIVAL_MICROS, pending,
                PENDING_DELAY), pending, delays(sleeps, MAX_DELAY_MS),
                TimeUnit.MICROSECONDS.toNanos(ARRIVAL_MICROS), WeftSleep.IN_FIRST_POLL), timers,
                rounds);
        long[] burstDelays = delays(burst, BURST_MAX_DELAY_MS);
        report(new Scenario(String.format("Burst: %,d sleeps of 1-%d ms started at once from one "
                + "thread (Weft: a task each, its sleep created at the spawn)", burst,
                BURST_MAX_DELAY_MS), 0, burstDelays, 0, WeftSleep.AT_SPAWN), timers, rounds);
        report(new Scenario(String.format("Burst: %,d sleeps of 1-%d ms started at once from one "
                + "thread (Weft: a task each, its sleep created in its first poll, late counted "
                + "from the spawn)", burst, BURST_MAX_DELAY_MS), 0, burstDelays, 0,
                WeftSleep.IN_FIRST_POLL_LATE_FROM_SPAWN), List.of("weft"), rounds);
    }

    /** {@code n} pseudo-random delays of 1 to {@code maxMillis} ms, the same on every run. */
    private static long[] delays(int n, int maxMillis) {
        long[] delays = new long[n];
        Random random = new Random(5);
        for (int i = 0; i < n; i++) {
            delays[i] = TimeUnit.MILLISECONDS.toNanos(1 + random.nextInt(maxMillis));
        }
        return delays;
    }

    private static void report(Scenario scenario, List<String> timers, int rounds)
            throws InterruptedException {
        System.out.println();
        System.out.println(scenario.name());
        List<List<Round>> results = new ArrayList<>();
        for (String ignored : timers) {
            results.add(new ArrayList<>());
        }
        for (int round = 0; round <= rounds; round++) {
            for (int t = 0; t < timers.size(); t++) {
                Round r = run(timers.get(t), scenario);
                if (r.early() > 0) {
                    throw new IllegalStateException(timers.get(t) + ": " + r.early()
                            + " sleeps ended before their deadline");
                }
                if (round > 0) { // round 0 warms up the JIT
                    results.get(t).add(r);
                }
            }
        }
        System.out.printf("%-20s %10s %10s %10s %10s %8s %6s%n", "timer", "p50 (us)", "p99 (us)",
                "p99.9 (us)", "max (us)", "n", "early");
        long[] p99 = new long[timers.size()];
        for (int t = 0; t < timers.size(); t++) {
            List<Round> rs = results.get(t);
            p99[t] = Harness.median(rs, Round::p99Nanos);
            System.out.printf("%-20s %10.1f %10.1f %10.1f %10.1f %8d %6d%n", timers.get(t),
                    Harness.median(rs, Round::p50Nanos) / 1e3, p99[t] / 1e3,
                    Harness.median(rs, Round::p999Nanos) / 1e3,
                    Harness.median(rs, Round::maxNanos) / 1e3, Harness.median(rs, Round::count),
                    Harness.median(rs, Round::early));
        }
        StringBuilder ratios = new StringBuilder();
        for (int t = 1; t < timers.size(); t++) {
            ratios.append(
                    String.format("; weft / %s = %.2f", timers.get(t), (double) p99[0] / p99[t]));
        }
        System.out.printf("medians of %d rounds; p99 ratio%s%n", rounds, ratios);
    }

    private static Round run(String timer, Scenario scenario) throws InterruptedException {
        System.gc(); // the previous run's garbage, collected outside the measurement
        long[] delays = scenario.delays();
        Recorder lateness = new Recorder(3);
        LongAdder early = new LongAdder();
        CountDownLatch done = new CountDownLatch(delays.length);
        LongConsumer record = late -> {
            if (late < 0) {
                early.increment();
            } else {
                lateness.recordValue(late);
            }
            done.countDown();
        };
        try (Timers timers = Timers.of(timer)) {
            timers.armPending(scenario.pending());
            long start = System.nanoTime();
            long period = scenario.arrivalNanos();
            for (int k = 0; k < delays.length; k++) {
                if (period > 0) {
                    long due = start + k * period;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                timers.sleep(delays[k], scenario.weftSleep(), record);
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(timer + ": " + done.getCount()
                        + " sleeps still pending after 60 s");
            }
        }
        Histogram h = lateness.getIntervalHistogram();
        return new Round(h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(), h.getTotalCount(), early.sum());
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

        /**
         * Starts a sleep of {@code nanos}; {@code lateness} gets how late its code ran (negative
         * if early). {@code weftSleep} says how Weft's task makes its sleep; the peers schedule a
         * callback.
         */
        abstract void sleep(long nanos, WeftSleep weftSleep, LongConsumer lateness);

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
        void sleep(long nanos, WeftSleep weftSleep, LongConsumer lateness) {
            Duration d = Duration.ofNanos(nanos);
            long spawned = System.nanoTime();
            if (weftSleep == WeftSleep.AT_SPAWN) {
                runtime.spawn(Async.sleep(d).map(x -> {
                    lateness.accept(System.nanoTime() - spawned - nanos);
                    return null;
                }));
                return;
            }
            runtime.spawn(Async.ready(null).then(v -> {
                long created = weftSleep == WeftSleep.IN_FIRST_POLL ? System.nanoTime() : spawned;
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
        void sleep(long nanos, WeftSleep weftSleep, LongConsumer lateness) {
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
        void sleep(long nanos, WeftSleep weftSleep, LongConsumer lateness) {
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
