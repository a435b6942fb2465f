package dev.weft.examples;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.RuntimeMetrics;
import dev.weft.TaskOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The tour's first section: a current-thread runtime running thousands of uneven tasks on the
 * calling thread, woken by another thread, some failing, some aborted.
 *
 * <p>The work is checkable: the jobs count the primes below {@code limit} in contiguous ranges
 * of uneven size, a slice per poll, yielding between slices; their total must equal a sieve's.
 */
final class CurrentThreadSection {

    /** Numbers tested per poll: the cooperative slice. */
    private static final int SLICE = 50;

    private final int jobs;
    private final int limit;

    CurrentThreadSection(int jobs, int limit) {
        this.jobs = jobs;
        this.limit = limit;
    }

    /** What the section measured. */
    record Result(RuntimeMetrics metrics, Duration wall, long primes, long expectedPrimes,
            int tasks) {
    }

    Result run(PrintStream out) {
        int flaky = Math.max(1, jobs / 400);
        int speculative = Math.max(1, jobs / 500);
        int readings = jobs / 10;
        // each speculation is a prefetch task and a select task
        int tasks = jobs + flaky + 2 * speculative;
        out.printf("1. Current-thread runtime: %,d tasks on one thread%n", tasks);
        out.printf("   %,d jobs count the primes below %,d in uneven ranges, %d numbers per poll, "
                + "yielding%n", jobs, limit, SLICE);
        out.printf("   between slices; 1 in 10 first waits for a reading that a sensor thread "
                + "delivers (a wake%n");
        out.printf("   from another thread); %d flaky tasks fail; %d speculative tasks lose a "
                + "select against a%n", flaky, speculative);
        out.printf("   stop signal and are aborted (the select is itself a task).%n%n");

        List<CompletableFuture<Integer>> sensorReadings = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            sensorReadings.add(new CompletableFuture<>());
        }
        CompletableFuture<Void> stopSpeculating = new CompletableFuture<>();

        long start = System.nanoTime();
        Result result;
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            Progress progress = new Progress(runtime, tasks, out);
            try {
                List<JoinHandle<Long>> counts = new ArrayList<>(jobs);
                // Uneven sizes, from 1 to 19 units.
                int[] bounds =
                        PrimeCount.rangeBounds(jobs, limit, j -> 1 + (int) ((j * 7919L) % 19));
                for (int j = 0; j < jobs; j++) {
                    Future<Long> count = new PrimeCount(bounds[j], bounds[j + 1], SLICE);
                    if (j % 10 == 0 && j / 10 < readings) {
                        Future<Long> afterReading = Async.fromCompletionStage(
                                sensorReadings.get(j / 10)).then(r -> count);
                        counts.add(runtime.spawn(afterReading));
                    } else {
                        counts.add(runtime.spawn(count));
                    }
                }
                List<JoinHandle<Object>> others = new ArrayList<>();
                for (int f = 0; f < flaky; f++) {
                    int id = f;
                    others.add(runtime.spawn(
                            TaskOptions.priority(Priority.NORMAL).name("flaky-" + f),
                            Async.yieldNow().map(v -> {
                                throw new IllegalStateException("flaky sensor " + id
                                        + " out of range");
                            })));
                }
                for (int s = 0; s < speculative; s++) {
                    JoinHandle<Void> prefetch = runtime.spawn(
                            TaskOptions.priority(Priority.BACKGROUND).name("prefetch-" + s),
                            new Forever());
                    others.add(runtime.spawn(Async.select(prefetch,
                            Async.fromCompletionStage(stopSpeculating)).map(e -> e)));
                }
                Thread sensor = startSensor(sensorReadings, stopSpeculating);
                long primes = runtime.blockOn(Async.joinAll(counts)).stream()
                        .mapToLong(Long::longValue).sum();
                runtime.blockOn(Async.joinAll(recoverAll(others)));
                joinQuietly(sensor);
                Duration wall = Duration.ofNanos(System.nanoTime() - start);
                progress.stop();
                out.println(Progress.line(runtime.metrics(), tasks, wall.toNanos()));
                result = new Result(runtime.metrics(), wall, primes, sievePrimes(limit), tasks);
            } finally {
                progress.stop();
            }
        }
        printTable(out, result);
        return result;
    }


    /** A thread outside the runtime, delivering readings over time: each delivery wakes a task. */
    private static Thread startSensor(List<CompletableFuture<Integer>> readings,
            CompletableFuture<Void> stop) {
        Thread sensor = new Thread(() -> {
            for (int i = 0; i < readings.size(); i++) {
                if (i == readings.size() / 2) {
                    stop.complete(null);
                }
                readings.get(i).complete(i);
                LockSupport.parkNanos(100_000); // readings arrive every 0.1 ms or so
            }
            stop.complete(null);
        }, "tour-sensor");
        sensor.setDaemon(true);
        sensor.start();
        return sensor;
    }

    private static List<Future<Object>> recoverAll(List<JoinHandle<Object>> handles) {
        List<Future<Object>> recovered = new ArrayList<>();
        for (JoinHandle<Object> h : handles) {
            recovered.add(h.recover(e -> e));
        }
        return recovered;
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printTable(PrintStream out, Result r) {
        RuntimeMetrics m = r.metrics();
        RuntimeMetrics.WorkerMetrics w = m.workers().get(0);
        double busySeconds = w.busyTime().toNanos() / 1e9;
        out.println();
        Table.whatHappened(m)
                .row("parks (nothing to run)", w.parks())
                .row("wall time", String.format("%.2f s", r.wall().toNanos() / 1e9))
                .row("busy time (running tasks)", String.format("%.2f s", busySeconds))
                .row("polls per busy second",
                        String.format("%,.0f", m.polls() / Math.max(busySeconds, 1e-9)))
                .row("driving thread", w.threadName())
                .print(out, "   ");
        out.printf("%n   primes below the limit: %,d counted by the tasks, %,d by a sieve: %s%n%n",
                r.primes(), r.expectedPrimes(),
                r.primes() == r.expectedPrimes() ? "they agree" : "MISMATCH");
    }

    static long sievePrimes(int limit) {
        boolean[] composite = new boolean[limit];
        long count = 0;
        for (int i = 2; i < limit; i++) {
            if (!composite[i]) {
                count++;
                for (long k = (long) i * i; k < limit; k += i) {
                    composite[(int) k] = true;
                }
            }
        }
        return count;
    }

    /** Speculative work that never finishes on its own: it yields until someone aborts it. */
    private static final class Forever implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            cx.waker().wake();
            return Poll.pending();
        }
    }
}
