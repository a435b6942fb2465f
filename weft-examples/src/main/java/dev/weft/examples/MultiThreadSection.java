package dev.weft.examples;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.RuntimeMetrics;
import dev.weft.RuntimeMetrics.WorkerMetrics;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The tour's multi-thread section: uneven work that starts on one worker and spreads over the
 * others by stealing, injected work from outside, blocking work kept off the workers, then the
 * runtime left idle to show that its parked workers use no CPU.
 *
 * <p>The work is checkable: the jobs count the primes below {@code limit} over ranges of very
 * uneven size (one job in 50 is 40 times the others), and their total must equal a sieve's.
 */
final class MultiThreadSection {

    private static final int SLICE = 200;
    private static final long IDLE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private final int workers;
    private final int jobs;
    private final int limit;

    MultiThreadSection(int workers, int jobs, int limit) {
        this.workers = workers;
        this.jobs = jobs;
        this.limit = limit;
    }

    /**
     * What the section measured.
     *
     * @param idleCpuNanos CPU time all workers used during the idle window, or -1 where the JVM
     *                     cannot measure thread CPU time
     */
    record Result(RuntimeMetrics metrics, Duration wall, long primes, long expectedPrimes,
                  int tasks,
                  long idleCpuNanos, long idleWindowNanos) {
    }

    Result run(PrintStream out) {
        int fromInside = jobs / 2;
        int fromOutside = jobs - fromInside;
        int splitters = splitterCount(0, fromInside);
        int tasks = splitters + jobs + 1; // the splitting tree, the jobs, and one blocking call
        out.printf("2. Multi-thread runtime: %,d tasks on %d workers%n", tasks, workers);
        out.printf("   %,d jobs count the primes below %,d in ranges of very uneven size, %d "
                + "numbers per poll.%n",
                jobs, limit, SLICE);
        out.printf("   %,d are spawned by a tree of %,d tasks that split their range in two "
                + "(fork-join style), starting%n",
                fromInside, splitters);
        out.printf("   on one worker: the others must steal. Then %,d come from the main thread, "
                + "through the global%n",
                fromOutside);
        out.printf("   queue.%n");
        out.printf("   A spawnBlocking call runs the sieve that checks the answer, on a thread "
                + "that is not a worker.%n%n");

        Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        Result result;
        try (AsyncRuntime runtime = AsyncRuntime.builder()
                .workerThreads(workers)
                .threadNamePrefix("tour-worker-")
                .onWorkerStart(() -> workerThreads.add(Thread.currentThread()))
                .build()) {
            Progress progress = new Progress(runtime, tasks, out);
            try {
                // One job in 50 weighs 40, the others 1.
                int[] bounds = PrimeCount.rangeBounds(jobs, limit, j -> j % 50 == 7 ? 40 : 1);
                JoinHandle<Long> sieve =
                        runtime.spawnBlocking(() -> CurrentThreadSection.sievePrimes(limit));
                // First the tree alone, so the spreading of its work is all stealing; then the jobs
                // from outside, which every worker takes from the global queue.
                long primes = runtime.blockOn(runtime.spawn(split(bounds, 0, fromInside)));
                List<JoinHandle<Long>> counts = new ArrayList<>(fromOutside);
                for (int j = fromInside; j < jobs; j++) {
                    counts.add(runtime.spawn(new PrimeCount(bounds[j], bounds[j + 1], SLICE)));
                }
                primes += sum(runtime.blockOn(Async.joinAll(counts)));
                long expected = sieve.join();
                Duration wall = Duration.ofNanos(System.nanoTime() - start);
                progress.stop();
                awaitTasksEnded(runtime, tasks);
                out.println(Progress.line(runtime.metrics(), tasks, wall.toNanos()));
                long idleCpu = idleCpu(workerThreads);
                result = new Result(runtime.metrics(), wall, primes, expected, tasks, idleCpu,
                        IDLE_WINDOW_NANOS);
            } finally {
                progress.stop();
            }
        }
        printTables(out, result);
        return result;
    }

    /** Jobs a splitter spawns itself instead of splitting further. */
    private static final int LEAF_JOBS = 8;

    /**
     * A task that splits jobs [from, to) in two halves spawned as tasks, down to leaves of jobs.
     */
    private static Future<Long> split(int[] bounds, int from, int to) {
        return Async.ready(0).then(v -> {
            if (to - from <= LEAF_JOBS) {
                List<JoinHandle<Long>> leaves = new ArrayList<>(to - from);
                for (int j = from; j < to; j++) {
                    leaves.add(Async.spawn(new PrimeCount(bounds[j], bounds[j + 1], SLICE)));
                }
                return Async.joinAll(leaves).map(MultiThreadSection::sum);
            }
            int mid = (from + to) >>> 1;
            JoinHandle<Long> left = Async.spawn(split(bounds, from, mid));
            JoinHandle<Long> right = Async.spawn(split(bounds, mid, to));
            return Async.join(left, right).map(pair -> pair.first() + pair.second());
        });
    }

    /** How many tasks {@link #split} runs for jobs [from, to): itself and its subtree. */
    static int splitterCount(int from, int to) {
        if (to - from <= LEAF_JOBS) {
            return 1;
        }
        int mid = (from + to) >>> 1;
        return 1 + splitterCount(from, mid) + splitterCount(mid, to);
    }

    private static long sum(List<Long> values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }

    /** The counts may trail the last join by a moment (see RuntimeMetrics): wait, with a bound. */
    private static void awaitTasksEnded(AsyncRuntime runtime, int tasks) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runtime.metrics().liveTasks() > 0 || runtime.metrics().tasksSpawned() < tasks) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "tasks still live 10 s after their results arrived: " + runtime.metrics());
            }
            Thread.onSpinWait();
        }
    }

    /** CPU time the worker threads use while the runtime has nothing to do. */
    private static long idleCpu(Set<Thread> workerThreads) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            return -1;
        }
        // let the workers reach their park
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        long before = workerCpu(threads, workerThreads);
        LockSupport.parkNanos(IDLE_WINDOW_NANOS);
        return workerCpu(threads, workerThreads) - before;
    }

    private static long workerCpu(ThreadMXBean threads, Set<Thread> workerThreads) {
        long total = 0;
        for (Thread t : workerThreads) {
            total += Math.max(0, threads.getThreadCpuTime(t.getId()));
        }
        return total;
    }


    private static void printTables(PrintStream out, Result r) {
        RuntimeMetrics m = r.metrics();
        out.println();
        Table perWorker = new Table("worker", "polls", "local", "injected", "steal tries", "steals",
                "stolen", "parks", "busy");
        for (WorkerMetrics w : m.workers()) {
            perWorker.row(w.threadName(), w.polls(), w.localExecutions(), w.injectedExecutions(),
                    w.stealAttempts(), w.successfulSteals(), w.tasksStolen(), w.parks(),
                    String.format("%.2f s", w.busyTime().toNanos() / 1e9));
        }
        perWorker.row("total", m.polls(), m.total(WorkerMetrics::localExecutions),
                m.total(WorkerMetrics::injectedExecutions),
                m.total(WorkerMetrics::stealAttempts), m.total(WorkerMetrics::successfulSteals),
                m.total(WorkerMetrics::tasksStolen), m.total(WorkerMetrics::parks),
                String.format("%.2f s", m.total(w -> w.busyTime().toNanos()) / 1e9));
        perWorker.print(out, "   ");
        out.println();
        Table.whatHappened(m)
                .row("wall time", String.format("%.2f s", r.wall().toNanos() / 1e9))
                .row("worker CPU while idle", r.idleCpuNanos() < 0 ? "not measurable on this JVM"
                        : String.format("%.2f ms in %d ms", r.idleCpuNanos() / 1e6,
                                r.idleWindowNanos() / 1_000_000))
                .print(out, "   ");
        out.printf("%n   primes below the limit: %,d counted by the tasks, %,d by a sieve: %s%n%n",
                r.primes(), r.expectedPrimes(),
                r.primes() == r.expectedPrimes() ? "they agree" : "MISMATCH");
    }
}
