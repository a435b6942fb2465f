package dev.weft.examples;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.RuntimeMetrics;
import dev.weft.time.Interval;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The tour's timer section: many concurrent sleeps on the workers' timing wheels, with how late
 * each woke; an interval whose ticks keep their phase; a timeout that expires and one that does
 * not; and the timers' metrics, which end at zero pending.
 */
final class TimerSection {

    private static final int MIN_SLEEP_MS = 100;
    private static final int MAX_SLEEP_MS = 200;
    private static final Duration TICK = Duration.ofMillis(20);
    private static final int TICKS = 10;
    private static final Duration TIMEOUT = Duration.ofMillis(50);

    private final int workers;
    private final int sleeps;

    TimerSection(int workers, int sleeps) {
        this.workers = workers;
        this.sleeps = sleeps;
    }

    /** One tick of the interval: its scheduled instant, and how late its task saw it. */
    record Tick(Instant scheduled, long latenessNanos) {
    }

    /**
     * What the section measured.
     *
     * @param lateness     how late each sleep woke, in nanoseconds (never negative: a sleep never
     *                     completes early, and the section checks it)
     * @param earlyWakes   sleeps that completed before their deadline: 0 unless something is broken
     * @param ticks        the interval's ticks
     * @param fastResult   the value of the job that beat its timeout
     * @param slowTimedOut whether the slow job's timeout expired
     * @param slowFailedAfterNanos when the slow job's timeout failed, after its start
     * @param metrics      the runtime's metrics at the end
     */
    record Result(Histogram lateness, long earlyWakes, List<Tick> ticks, String fastResult,
                  boolean slowTimedOut,
                  long slowFailedAfterNanos, RuntimeMetrics metrics) {
    }

    Result run(PrintStream out) {
        out.printf("4. Timers: %,d concurrent sleeps, an interval and two timeouts, on %d "
                + "workers%n", sleeps, workers);
        out.printf("   %,d tasks each sleep %d to %d ms, all started at once; each worker keeps a "
                + "timing wheel of its%n",
                sleeps, MIN_SLEEP_MS, MAX_SLEEP_MS);
        out.printf("   own (1 ms ticks), parks no longer than its next timer, and fires what is "
                + "due when it wakes.%n");
        out.printf("   (After a run of the sleeps that warms up the JIT, not shown.)%n%n");
        warmUp();
        Recorder lateness = new Recorder(3);
        AtomicLong early = new AtomicLong();
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(workers)
                .threadNamePrefix("tour-timer-").build()) {
            sleepAll(lateness, early, runtime, out);
            Histogram sleepLateness = lateness.getIntervalHistogram();
            List<Tick> ticks =
                    runtime.blockOn(runtime.spawn(new TickLog(Async.interval(TICK), TICKS)));
            String fast = runtime.blockOn(Async.sleep(Duration.ofMillis(10))
                    .map(v -> "done in 10 ms").timeout(TIMEOUT));
            long slowStart = System.nanoTime();
            boolean timedOut = false;
            try {
                runtime.blockOn(Async.sleep(Duration.ofMillis(200)).map(v -> "done in 200 ms")
                        .timeout(TIMEOUT));
            } catch (DeadlineExceededException expected) {
                timedOut = true;
            }
            long slowFailedAfter = System.nanoTime() - slowStart;
            if (!runtime.shutdown(Duration.ofSeconds(30))) {
                throw new IllegalStateException(
                        "the timer section's tasks did not end within 30 s");
            }
            Result result = new Result(sleepLateness, early.get(), ticks, fast, timedOut,
                    slowFailedAfter, runtime.metrics());
            print(out, result);
            return result;
        }
    }

    /** A run of the sleeps on a runtime of its own, printing nothing: it warms up the JIT. */
    private void warmUp() {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(workers)
                .threadNamePrefix("tour-timer-").build()) {
            sleepAll(new Recorder(3), new AtomicLong(), runtime,
                    new PrintStream(java.io.OutputStream.nullOutputStream()));
        }
    }

    /** Starts the sleeps, each in a task of its own, and waits until every one woke. */
    private void sleepAll(Recorder lateness, AtomicLong early, AsyncRuntime runtime,
            PrintStream out) {
        CountDownLatch woke = new CountDownLatch(sleeps);
        Progress progress = new Progress(runtime, sleeps, out);
        try {
            Random random = new Random(4);
            for (int i = 0; i < sleeps; i++) {
                long nanos = TimeUnit.MILLISECONDS.toNanos(MIN_SLEEP_MS
                        + random.nextInt(MAX_SLEEP_MS - MIN_SLEEP_MS + 1));
                runtime.spawn(Async.ready(null).then(v -> {
                    long created = System.nanoTime();
                    return Async.sleep(Duration.ofNanos(nanos)).map(x -> {
                        long late = System.nanoTime() - created - nanos;
                        if (late < 0) {
                            early.incrementAndGet();
                        }
                        lateness.recordValue(Math.max(0, late));
                        woke.countDown();
                        return null;
                    });
                }));
            }
            await(woke);
        } finally {
            progress.stop();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(latch.getCount()
                        + " sleeps still pending after 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the sleeps ran", e);
        }
    }

    private void print(PrintStream out, Result r) {
        out.println();
        Table late = new Table("how late a sleep woke (deadline to its code running)", "sleeps",
                "p50", "p99", "max", "early");
        Histogram h = r.lateness();
        late.row("sleeps of " + MIN_SLEEP_MS + "-" + MAX_SLEEP_MS + " ms", h.getTotalCount(),
                micros(h.getValueAtPercentile(50)),
                micros(h.getValueAtPercentile(99)), micros(h.getMaxValue()), r.earlyWakes());
        late.print(out, "   ");
        out.println();
        out.printf("   An interval of %d ms, %d ticks: tick k is due at start + k x %d ms, however "
                + "late the one before was.%n",
                TICK.toMillis(), TICKS, TICK.toMillis());
        Table ticks = new Table("tick", "due at (from start)", "seen late by");
        Instant start = r.ticks().get(0).scheduled();
        for (int k = 0; k < r.ticks().size(); k++) {
            Tick t = r.ticks().get(k);
            ticks.row(k, Duration.between(start, t.scheduled()).toMillis() + " ms",
                    micros(t.latenessNanos()));
        }
        ticks.print(out, "   ");
        out.println();
        out.printf("   Timeouts of %d ms: a 10 ms job gave \"%s\"; a 200 ms job failed with "
                + "DeadlineExceededException%n",
                TIMEOUT.toMillis(), r.fastResult());
        out.printf("   after %.1f ms (%s), and was dropped: its sleep's timer left the wheel at "
                + "once.%n%n", r.slowFailedAfterNanos() / 1e6,
                r.slowTimedOut() ? "as it should" : "NOT, which is a bug");
        RuntimeMetrics.TimerMetrics t = r.metrics().timers();
        Table.whatHappened(r.metrics())
                .row("timers fired (metrics().timers())", t.fired())
                .row("timers cancelled before their deadline", t.cancelled())
                .row("timers pending at the end", t.pending())
                .print(out, "   ");
        out.println();
    }

    private static String micros(long nanos) {
        return nanos >= 10_000_000 ? String.format("%.0f ms", nanos / 1e6)
                : String.format("%.0f us", nanos / 1e3);
    }

    /**
     * Awaits {@code count} ticks, one after the other, recording each tick's lateness as the task
     * sees it.
     */
    private static final class TickLog implements Future<List<Tick>> {
        private final Interval interval;
        private final int count;
        private final List<Tick> ticks = new ArrayList<>();
        private Future<Instant> next;

        TickLog(Interval interval, int count) {
            this.interval = interval;
            this.count = count;
        }

        @Override
        public Poll<List<Tick>> poll(Context cx) {
            while (true) {
                if (next == null) {
                    next = interval.tick();
                }
                Poll<Instant> p = next.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                Instant scheduled = p.value();
                ticks.add(
                        new Tick(scheduled, Duration.between(scheduled, Instant.now()).toNanos()));
                next = null;
                if (ticks.size() == count) {
                    return Poll.ready(List.copyOf(ticks));
                }
            }
        }
    }
}
