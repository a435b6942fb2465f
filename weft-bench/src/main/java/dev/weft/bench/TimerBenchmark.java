package dev.weft.bench;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * Weft's timers against the timers a Java user would pick instead, with {@value #THREADS}
 * threads each: {@code ScheduledThreadPoolExecutor(2)} (with {@code setRemoveOnCancelPolicy(true)},
 * so that a cancelled timer, as in Weft, holds no memory), Netty's {@link HashedWheelTimer} (1 ms
 * ticks, 512 buckets, its own thread), and, on JDK 25, {@code ForkJoinPool(2)}'s delayed tasks
 * ({@code ForkJoinPool} implements {@code ScheduledExecutorService} since JDK 25; on an older JDK
 * the {@code forkJoin} runs fail in setup, so select the others with {@code -p timer=...}). One
 * operation is {@value #TIMERS} timers:
 * <ul>
 *   <li>{@code fire}: {@value #TIMERS} sleeps of 1 to 20 ms (the same pseudo-random delays for
 *       every timer), set by {@value #THREADS} threads, {@value #TIMERS} / {@value #THREADS} each,
 *       until the last has fired. Weft: {@value #THREADS} tasks each spawn their share of tasks
 *       that await {@code Async.sleep(d)}, then count down; elsewhere {@value #THREADS} threads
 *       each schedule their share of {@code Runnable}s that count down. The operation cannot take
 *       less than 20 ms: the figure is the cost of setting and firing on top of that.</li>
 *   <li>{@code setCancel}: {@value #TIMERS} timeouts of 10 s, each armed and then cancelled, in
 *       {@value #CHUNKS} chunks of {@value #TIMERS} / {@value #CHUNKS} run on the {@value #THREADS}
 *       threads. Weft: {@value #CHUNKS} tasks each await, one after the other,
 *       {@code Async.timeout(10 s, f)} around a future {@code f} that completes on its second poll
 *       (its first wakes its task, which goes to the back of its worker's queue), so each timeout
 *       arms its timer on the first poll and cancels it on the second; elsewhere {@value #CHUNKS}
 *       jobs on the {@value #THREADS} threads each schedule and cancel, one after the other.
 *       Weft's side also pays a task reschedule per timeout.</li>
 * </ul>
 * Why chunks rather than one task per thread: two tasks spawned one after the other sit next to
 * each other in memory, and two workers writing their state words contend for one cache line
 * (false sharing, measured in docs/performance.md, "Timer figures"). A hundred tasks spread over
 * the workers, as tasks do in a real program.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class TimerBenchmark {

    static final int THREADS = 2;
    static final int TIMERS = 200_000;
    static final int CHUNKS = 100;
    static final int MAX_DELAY_MS = 20;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Param({"weft", "scheduledThreadPool", "hashedWheel", "forkJoin"})
    public String timer;

    private AsyncRuntime runtime;
    private ScheduledExecutorService scheduler;
    private HashedWheelTimer wheel;
    /** The threads that set the peers' timers, and cancel them in setCancel. */
    private ExecutorService setters;
    private final Duration[] delays = new Duration[TIMERS];
    private final long[] delayMillis = new long[TIMERS];

    @Setup(Level.Trial)
    public void start() {
        Random random = new Random(20);
        for (int i = 0; i < TIMERS; i++) {
            delayMillis[i] = 1 + random.nextInt(MAX_DELAY_MS);
            delays[i] = Duration.ofMillis(delayMillis[i]);
        }
        switch (timer) {
            case "weft" -> runtime = AsyncRuntime.builder().workerThreads(THREADS).build();
            case "scheduledThreadPool" -> {
                ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(THREADS);
                pool.setRemoveOnCancelPolicy(true);
                scheduler = pool;
            }
            case "hashedWheel" -> wheel = new HashedWheelTimer(daemon("hashed-wheel"), 1,
                    TimeUnit.MILLISECONDS, 512);
            case "forkJoin" -> {
                Object pool = new ForkJoinPool(THREADS);
                if (!(pool instanceof ScheduledExecutorService delayed)) {
                    throw new IllegalStateException("timer: forkJoin needs JDK 25, where "
                            + "ForkJoinPool schedules delayed tasks; this is JDK "
                            + Runtime.version() + ": select the others with -p "
                            + "timer=weft,scheduledThreadPool,hashedWheel");
                }
                scheduler = delayed;
            }
            default -> throw new IllegalArgumentException("timer: unknown value '" + timer
                    + "'; expected weft, scheduledThreadPool, hashedWheel or forkJoin");
        }
        if (runtime == null) {
            setters = Executors.newFixedThreadPool(THREADS, daemon("setter"));
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (runtime != null) {
            runtime.shutdown(Duration.ofSeconds(5));
            return;
        }
        setters.shutdown();
        if (wheel != null) {
            wheel.stop();
        } else {
            scheduler.shutdownNow();
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException(timer + " did not terminate within 5 s");
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------- fire

    @Benchmark
    public Object fire() throws InterruptedException {
        MultiThreadBenchmark.Countdown done = new MultiThreadBenchmark.Countdown(TIMERS);
        int perThread = TIMERS / THREADS;
        if (runtime != null) {
            Function<Void, Void> arrive = v -> {
                done.arrive();
                return null;
            };
            for (int t = 0; t < THREADS; t++) {
                int from = t * perThread;
                runtime.spawn(Async.ready(null).map(v -> {
                    for (int i = from; i < from + perThread; i++) {
                        Async.spawn(Async.sleep(delays[i]).map(arrive));
                    }
                    return null;
                }));
            }
        } else {
            for (int t = 0; t < THREADS; t++) {
                int from = t * perThread;
                setters.execute(() -> {
                    if (wheel != null) {
                        TimerTask arrive = timeout -> done.arrive();
                        for (int i = from; i < from + perThread; i++) {
                            wheel.newTimeout(arrive, delayMillis[i], TimeUnit.MILLISECONDS);
                        }
                    } else {
                        Runnable arrive = done::arrive;
                        for (int i = from; i < from + perThread; i++) {
                            scheduler.schedule(arrive, delayMillis[i], TimeUnit.MILLISECONDS);
                        }
                    }
                });
            }
        }
        return done.await();
    }

    // ---------------------------------------------------------------- set and cancel

    @Benchmark
    public Object setCancel() throws InterruptedException {
        int perChunk = TIMERS / CHUNKS;
        if (runtime != null) {
            MultiThreadBenchmark.Countdown done = new MultiThreadBenchmark.Countdown(CHUNKS);
            for (int c = 0; c < CHUNKS; c++) {
                runtime.spawn(new TimeoutLoop(perChunk, done));
            }
            return done.await();
        }
        CountDownLatch done = new CountDownLatch(CHUNKS);
        Runnable never = () -> {
            throw new AssertionError("a 10 s timeout fired during the benchmark");
        };
        TimerTask neverOnTheWheel = timeout -> never.run();
        for (int c = 0; c < CHUNKS; c++) {
            setters.execute(() -> {
                if (wheel != null) {
                    for (int i = 0; i < perChunk; i++) {
                        wheel.newTimeout(neverOnTheWheel, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                                .cancel();
                    }
                } else {
                    for (int i = 0; i < perChunk; i++) {
                        scheduler.schedule(never, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                                .cancel(false);
                    }
                }
                done.countDown();
            });
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(timer + ": " + done.getCount()
                    + " chunks unfinished after 60 s");
        }
        return done;
    }

    /** Awaits {@code n} timeouts, one after the other, each around a {@link SecondPoll}. */
    static final class TimeoutLoop implements Future<Void> {
        private final MultiThreadBenchmark.Countdown done;
        private int left;
        private Future<Integer> current;

        TimeoutLoop(int n, MultiThreadBenchmark.Countdown done) {
            this.left = n;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (left > 0) {
                if (current == null) {
                    current = Async.timeout(TIMEOUT, new SecondPoll());
                }
                if (!current.poll(cx).isReady()) {
                    return Poll.pending();
                }
                current = null;
                left--;
            }
            done.arrive();
            return Poll.ready(null);
        }
    }

    /** Pending on its first poll (after waking its task), ready on its second. */
    static final class SecondPoll implements Future<Integer> {
        private static final Poll<Integer> READY = Poll.ready(2);
        private boolean polledOnce;

        @Override
        public Poll<Integer> poll(Context cx) {
            if (polledOnce) {
                return READY;
            }
            polledOnce = true;
            cx.waker().wake();
            return Poll.pending();
        }
    }
}
