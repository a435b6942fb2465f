package dev.weft.bench;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The single-thread executor, after Tokio's runtime benchmarks: Weft's current-thread runtime
 * against a single-thread {@link java.util.concurrent.ThreadPoolExecutor}, the peer a Java user
 * picks to run work on one thread. {@code weft} is the default runtime, with priority
 * scheduling; {@code weftFifo} the same with {@code priorityScheduling(false)}.
 *
 * <ul>
 *   <li>{@code yieldMany}: {@value #YIELDERS} tasks each yield {@value #YIELDS} times. On the pool
 *       a yield is the task resubmitting itself.</li>
 *   <li>{@code spawnMany}: {@value #SPAWNS} tasks spawned from the runtime's own thread; each
 *       counts down a plain counter (both sides run on one thread), and the waiter is released at
 *       zero.</li>
 * </ul>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} of yieldMany divided by
 * {@value #YIELDERS} x {@value #YIELDS} is the allocation per wake-and-poll.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class CurrentThreadBenchmark {

    static final int YIELDERS = 100;
    static final int YIELDS = 500;
    static final int SPAWNS = 10_000;

    @Param({"weft", "weftFifo", "threadPool"})
    public String executor;

    private AsyncRuntime runtime;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void start() {
        switch (executor) {
            case "weft" -> runtime = AsyncRuntime.currentThread().build();
            case "weftFifo" -> runtime =
                    AsyncRuntime.currentThread().priorityScheduling(false).build();
            case "threadPool" -> pool = Executors.newSingleThreadExecutor();
            default -> throw new IllegalArgumentException("executor: unknown value '" + executor
                    + "'; expected weft, weftFifo or threadPool");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (runtime != null) {
            runtime.shutdown(Duration.ofSeconds(5));
        } else {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Benchmark
    public Object yieldMany() throws InterruptedException {
        if (runtime != null) {
            return runtime.blockOn(Async.ready(0).then(v -> {
                List<JoinHandle<Void>> handles = new ArrayList<>(YIELDERS);
                for (int i = 0; i < YIELDERS; i++) {
                    handles.add(Async.spawn(new Yielder(YIELDS)));
                }
                return Async.joinAll(handles);
            }));
        }
        CountDownLatch done = new CountDownLatch(YIELDERS);
        for (int i = 0; i < YIELDERS; i++) {
            pool.execute(new ResubmittingTask(pool, YIELDS, done));
        }
        done.await();
        return done;
    }

    @Benchmark
    public Object spawnMany() throws InterruptedException {
        if (runtime != null) {
            Countdown countdown = new Countdown(SPAWNS);
            Future<Void> arrive = countdown::arrive;
            return runtime.blockOn(Async.ready(0).then(v -> {
                for (int i = 0; i < SPAWNS; i++) {
                    Async.spawn(arrive);
                }
                return countdown;
            }));
        }
        CountDownLatch done = new CountDownLatch(1);
        int[] remaining = {SPAWNS}; // touched by the pool's one thread only
        Runnable arrive = () -> {
            if (--remaining[0] == 0) {
                done.countDown();
            }
        };
        pool.execute(() -> {
            for (int i = 0; i < SPAWNS; i++) {
                pool.execute(arrive);
            }
        });
        done.await();
        return done;
    }

    /**
     * Ready once {@code n} tasks arrived. Tasks and the awaiting future all run on the runtime's
     * one thread, so a plain counter suffices, as the pool's side uses one.
     */
    static final class Countdown implements Future<Void> {
        private int remaining;
        private dev.weft.Waker waiter;

        Countdown(int n) {
            this.remaining = n;
        }

        Poll<Void> arrive(Context cx) {
            if (--remaining == 0 && waiter != null) {
                waiter.wake();
            }
            return Poll.ready(null);
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (remaining == 0) {
                return Poll.ready(null);
            }
            waiter = cx.waker();
            return Poll.pending();
        }
    }

    /** Yields n times by waking itself and returning pending: allocation-free. */
    static final class Yielder implements Future<Void> {
        private int remaining;

        Yielder(int yields) {
            this.remaining = yields;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (remaining-- == 0) {
                return Poll.ready(null);
            }
            cx.waker().wake();
            return Poll.pending();
        }
    }

    /** The pool's version of a yield: the task puts itself at the back of the queue. */
    static final class ResubmittingTask implements Runnable {
        private final ExecutorService pool;
        private final CountDownLatch done;
        private int remaining;

        ResubmittingTask(ExecutorService pool, int yields, CountDownLatch done) {
            this.pool = pool;
            this.remaining = yields;
            this.done = done;
        }

        @Override
        public void run() {
            if (remaining-- == 0) {
                done.countDown();
            } else {
                pool.execute(this);
            }
        }
    }
}
