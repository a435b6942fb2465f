package dev.weft.bench;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where the tail of {@link TimerLatency}'s burst comes from, in Weft alone: the same burst of
 * sleeps created at the spawn, each task wrapped in a probe that records its first poll. For each
 * round it prints how long the spawning thread took, the lateness p50 and p99, and of the sleeps
 * at or past the p99 how many were first polled after their deadline (polled late: the queue
 * before the first poll) and how many were polled, and their timer armed, in time (fired late:
 * the wheel's turn, the pauses, the queue after the wake); then the wait from spawn to first poll.
 * Not a comparison: the peers have no first poll.
 *
 * <pre>java -cp weft-bench/target/benchmarks.jar dev.weft.bench.TimerBurstProbe [sleeps] [rounds]
 * </pre>
 */
public final class TimerBurstProbe {

    private TimerBurstProbe() {
    }

    /** A task's future with the time of its first poll recorded. */
    private static final class FirstPoll<T> implements Future<T> {
        private final Future<T> inner;
        private final long[] firstPolls;
        private final int index;
        private boolean polled;

        FirstPoll(Future<T> inner, long[] firstPolls, int index) {
            this.inner = inner;
            this.firstPolls = firstPolls;
            this.index = index;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (!polled) {
                polled = true;
                firstPolls[index] = System.nanoTime();
            }
            return inner.poll(cx);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int n = Harness.positive(args, 0, "sleeps", TimerLatency.DEFAULT_BURST);
        int rounds = Harness.positive(args, 1, "rounds", 8);
        long[] delays = new long[n];
        Random random = new Random(5);
        for (int i = 0; i < n; i++) {
            delays[i] = TimeUnit.MILLISECONDS.toNanos(
                    1 + random.nextInt(TimerLatency.BURST_MAX_DELAY_MS));
        }
        System.out.printf("Burst of %,d sleeps of 1-%d ms, %d workers, JDK %s%n", n,
                TimerLatency.BURST_MAX_DELAY_MS, TimerLatency.THREADS, Runtime.version());
        for (int round = 0; round < rounds; round++) {
            runRound(round, delays);
        }
    }

    private static void runRound(int round, long[] delays) throws InterruptedException {
        int n = delays.length;
        System.gc(); // as TimerLatency does before each run
        long[] lateness = new long[n];
        long[] spawned = new long[n];
        long[] firstPolls = new long[n];
        CountDownLatch done = new CountDownLatch(n);
        AsyncRuntime runtime =
                AsyncRuntime.builder().workerThreads(TimerLatency.THREADS).build();
        long start = System.nanoTime();
        for (int k = 0; k < n; k++) {
            int i = k;
            long d = delays[i];
            spawned[i] = System.nanoTime();
            Future<Void> sleep = Async.sleep(Duration.ofNanos(d)).map(x -> {
                lateness[i] = System.nanoTime() - spawned[i] - d;
                done.countDown();
                return null;
            });
            runtime.spawn(new FirstPoll<>(sleep, firstPolls, i));
        }
        long spawning = System.nanoTime() - start;
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(done.getCount() + " sleeps pending after 60 s");
        }
        runtime.shutdown(Duration.ZERO);
        long[] sorted = lateness.clone();
        Arrays.sort(sorted);
        long p99 = sorted[(int) (n * 0.99)];
        int polledLate = 0;
        int firedLate = 0;
        long[] waits = new long[n];
        for (int i = 0; i < n; i++) {
            waits[i] = firstPolls[i] - spawned[i];
            if (lateness[i] >= p99) {
                if (waits[i] >= delays[i]) {
                    polledLate++;
                } else {
                    firedLate++;
                }
            }
        }
        Arrays.sort(waits);
        System.out.printf("round %d: spawning %.1f ms; lateness p50 %.2f ms, p99 %.2f ms; at or "
                + "past the p99: %d polled late, %d fired late; spawn to first poll p50 %.2f ms, "
                + "p99 %.2f ms, max %.2f ms%n", round, spawning / 1e6, sorted[n / 2] / 1e6,
                p99 / 1e6, polledLate, firedLate, waits[n / 2] / 1e6,
                waits[(int) (n * 0.99)] / 1e6, waits[n - 1] / 1e6);
    }
}
