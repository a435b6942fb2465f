package dev.weft.bench;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The multi-thread runtime against the executors a Java user would pick instead, after Tokio's
 * {@code rt_multi_threaded} benchmarks, all with {@value #WORKERS} threads:
 * {@code new ForkJoinPool(2)}, {@code Executors.newFixedThreadPool(2)}, and virtual threads on
 * {@code -Djdk.virtualThreadScheduler.parallelism=2} (JDK 21+; on an older JDK the
 * {@code virtual} runs fail in setup, so select the others with {@code -p scheduler=...}).
 * {@code weft} is the default runtime, with priority scheduling; {@code weftFifo} the same with
 * {@code priorityScheduling(false)}: their ratio is the cost of priority scheduling when every
 * task has the default priority. {@code -p scheduler=weftUnwatched} (not run by default) is
 * {@code weft} without the long-poll watch ({@code longPollThreshold(Duration.ZERO)}): its ratio
 * to {@code weft} is the watch's cost.
 *
 * <ul>
 *   <li>{@code spawnManyLocal}: one task spawns {@value #SPAWNS} no-op tasks from inside.</li>
 *   <li>{@code spawnManyRemote}: the benchmark thread spawns {@value #SPAWNS} no-op tasks.</li>
 *   <li>{@code chainedSpawn}: each task spawns the next, {@value #CHAIN} deep.</li>
 *   <li>{@code pingPong}: {@value #PAIRS} pairs of tasks pass a message back and forth
 *       {@value #ROUND_TRIPS} times. In Weft each side awaits a one-slot {@link Mailbox} (a send is
 *       a wake); on an executor a delivered message is the receiver submitted as a task (the
 *       cheapest form a callback mailbox can take); on virtual threads, a
 *       {@link SynchronousQueue} each way.</li>
 *   <li>{@code yieldMany}: {@value #YIELDERS} tasks yield {@value #YIELDS} times each. Weft: a
 *       wake of itself; an executor: the task resubmits itself; a virtual thread:
 *       {@link Thread#yield()}.</li>
 * </ul>
 * Every workload ends the same way for every scheduler: the last unit of work counts down a
 * latch the benchmark thread waits on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "-Djdk.virtualThreadScheduler.parallelism=2")
public class MultiThreadBenchmark {

    static final int WORKERS = 2;
    static final int SPAWNS = 100_000;
    static final int CHAIN = 10_000;
    static final int PAIRS = 100;
    static final int ROUND_TRIPS = 500;
    static final int YIELDERS = 200;
    static final int YIELDS = 500;

    @Param({"weft", "weftFifo", "forkJoin", "threadPool", "virtual"})
    public String scheduler;

    private AsyncRuntime runtime;
    private ExecutorService executor;

    @Setup(Level.Trial)
    public void start() throws ReflectiveOperationException {
        switch (scheduler) {
            case "weft" -> runtime = AsyncRuntime.builder().workerThreads(WORKERS).build();
            case "weftUnwatched" -> runtime = AsyncRuntime.builder().workerThreads(WORKERS)
                    .longPollThreshold(Duration.ZERO).build();
            case "weftFifo" -> runtime =
                    AsyncRuntime.builder().workerThreads(WORKERS).priorityScheduling(false).build();
            case "forkJoin" -> executor = new ForkJoinPool(WORKERS);
            case "threadPool" -> executor = Executors.newFixedThreadPool(WORKERS);
            case "virtual" -> executor = VirtualThreads.newExecutor();
            default -> throw new IllegalArgumentException("scheduler: unknown value '" + scheduler
                    + "'; expected weft, weftUnwatched, weftFifo, forkJoin, threadPool or "
                    + "virtual");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (runtime != null) {
            runtime.shutdown(Duration.ofSeconds(5));
        } else {
            executor.shutdown();
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException(scheduler + " did not terminate within 5 s");
            }
        }
    }

    // ---------------------------------------------------------------- spawn_many_local

    @Benchmark
    public Object spawnManyLocal() throws InterruptedException {
        Countdown done = new Countdown(SPAWNS);
        if (runtime != null) {
            Future<Void> noop = done.asFuture();
            runtime.spawn(Async.ready(0).map(v -> {
                for (int i = 0; i < SPAWNS; i++) {
                    Async.spawn(noop);
                }
                return v;
            }));
        } else {
            Runnable noop = done::arrive;
            executor.execute(() -> {
                for (int i = 0; i < SPAWNS; i++) {
                    executor.execute(noop);
                }
            });
        }
        return done.await();
    }

    // ---------------------------------------------------------------- spawn_many_remote

    @Benchmark
    public Object spawnManyRemote() throws InterruptedException {
        Countdown done = new Countdown(SPAWNS);
        if (runtime != null) {
            Future<Void> noop = done.asFuture();
            for (int i = 0; i < SPAWNS; i++) {
                runtime.spawn(noop);
            }
        } else {
            Runnable noop = done::arrive;
            for (int i = 0; i < SPAWNS; i++) {
                executor.execute(noop);
            }
        }
        return done.await();
    }

    // ---------------------------------------------------------------- chained_spawn

    @Benchmark
    public Object chainedSpawn() throws InterruptedException {
        Countdown done = new Countdown(1);
        if (runtime != null) {
            runtime.spawn(new ChainedFuture(CHAIN, done));
        } else {
            executor.execute(new ChainedRunnable(executor, CHAIN, done));
        }
        return done.await();
    }

    /** Spawns the next link from its poll; the last link arrives at the countdown. */
    static final class ChainedFuture implements Future<Void> {
        private final int remaining;
        private final Countdown done;

        ChainedFuture(int remaining, Countdown done) {
            this.remaining = remaining;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (remaining == 0) {
                done.arrive();
            } else {
                Async.spawn(new ChainedFuture(remaining - 1, done));
            }
            return Poll.ready(null);
        }
    }

    static final class ChainedRunnable implements Runnable {
        private final ExecutorService executor;
        private final int remaining;
        private final Countdown done;

        ChainedRunnable(ExecutorService executor, int remaining, Countdown done) {
            this.executor = executor;
            this.remaining = remaining;
            this.done = done;
        }

        @Override
        public void run() {
            if (remaining == 0) {
                done.arrive();
            } else {
                executor.execute(new ChainedRunnable(executor, remaining - 1, done));
            }
        }
    }

    // ---------------------------------------------------------------- ping_pong

    @Benchmark
    public Object pingPong() throws InterruptedException {
        Countdown done = new Countdown(PAIRS);
        if (runtime != null) {
            for (int p = 0; p < PAIRS; p++) {
                Mailbox toPong = new Mailbox();
                Mailbox toPing = new Mailbox();
                runtime.spawn(new Player(toPong, toPing, ROUND_TRIPS, true, done));
                runtime.spawn(new Player(toPing, toPong, ROUND_TRIPS, false, null));
            }
        } else if (scheduler.equals("virtual")) {
            for (int p = 0; p < PAIRS; p++) {
                SynchronousQueue<Integer> toPong = new SynchronousQueue<>();
                SynchronousQueue<Integer> toPing = new SynchronousQueue<>();
                executor.execute(() -> {
                    try {
                        for (int i = 0; i < ROUND_TRIPS; i++) {
                            toPong.put(i);
                            toPing.take();
                        }
                        done.arrive();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                executor.execute(() -> {
                    try {
                        for (int i = 0; i < ROUND_TRIPS; i++) {
                            toPing.put(toPong.take());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        } else {
            for (int p = 0; p < PAIRS; p++) {
                CallbackPlayer ping = new CallbackPlayer(executor, 2 * ROUND_TRIPS, done);
                CallbackPlayer pong = new CallbackPlayer(executor, 2 * ROUND_TRIPS, null);
                ping.partner = pong;
                pong.partner = ping;
                executor.execute(ping);
            }
        }
        return done.await();
    }

    /**
     * A one-slot mailbox between two tasks on any workers, for a protocol with at most one message
     * in flight each way. The sender writes the message (volatile), then reads the waiter; the
     * receiver, finding no message, registers its waker (volatile) and reads the message again:
     * at least one of them sees the other's write, so no wake-up is lost. As Tokio's
     * {@code AtomicWaker} does, the waker is written only when it changed (a task's waker never
     * does), and stays registered; a wake it causes while the receiver is not waiting is spare
     * and harmless. Only the receiver clears the message, and the next one is not sent before the
     * reply to this one, so the clear is a release store, not a fence.
     */
    static final class Mailbox {
        private static final VarHandle MESSAGE;

        static {
            try {
                MESSAGE = MethodHandles.lookup().findVarHandle(Mailbox.class, "message", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile int message = -1;
        private volatile Waker receiver;

        void send(int value) {
            message = value;
            Waker w = receiver;
            if (w != null) {
                w.wake();
            }
        }

        /** @return the message, or -1 once the caller is registered to be woken by the next send */
        int receive(Context cx) {
            int m = message;
            if (m < 0) {
                Waker w = cx.waker();
                if (receiver != w) {
                    receiver = w;
                }
                m = message;
                if (m < 0) {
                    return -1;
                }
            }
            MESSAGE.setRelease(this, -1);
            return m;
        }
    }

    /** Sends first if it serves, then answers each message, for a number of round trips. */
    static final class Player implements Future<Void> {
        private final Mailbox inbox;
        private final Mailbox outbox;
        private final Countdown done;
        private int remaining;
        private boolean mustServe;

        Player(Mailbox inbox, Mailbox outbox, int roundTrips, boolean serves, Countdown done) {
            this.inbox = inbox;
            this.outbox = outbox;
            this.remaining = roundTrips;
            this.mustServe = serves;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (mustServe) {
                mustServe = false;
                outbox.send(remaining);
            }
            while (true) {
                int m = inbox.receive(cx);
                if (m < 0) {
                    return Poll.pending();
                }
                if (--remaining == 0) {
                    if (done == null) {
                        outbox.send(0); // the server's last message
                    } else {
                        done.arrive();
                    }
                    return Poll.ready(null);
                }
                outbox.send(remaining);
            }
        }
    }

    /** The executor's ping-pong: a delivered message is the partner submitted as a task. */
    static final class CallbackPlayer implements Runnable {
        private final ExecutorService executor;
        private final Countdown done;
        CallbackPlayer partner;
        private int remaining;

        CallbackPlayer(ExecutorService executor, int turns, Countdown done) {
            this.executor = executor;
            this.remaining = turns / 2;
            this.done = done;
        }

        @Override
        public void run() {
            if (--remaining < 0) {
                throw new IllegalStateException("a player ran once too often");
            }
            if (remaining == 0 && done != null) {
                done.arrive();
            } else {
                executor.execute(partner);
            }
        }
    }

    // ---------------------------------------------------------------- yield_many

    @Benchmark
    public Object yieldMany() throws InterruptedException {
        Countdown done = new Countdown(YIELDERS);
        for (int i = 0; i < YIELDERS; i++) {
            if (runtime != null) {
                runtime.spawn(new Yielder(YIELDS, done));
            } else if (scheduler.equals("virtual")) {
                executor.execute(() -> {
                    for (int y = 0; y < YIELDS; y++) {
                        Thread.yield();
                    }
                    done.arrive();
                });
            } else {
                executor.execute(new ResubmittingYielder(executor, YIELDS, done));
            }
        }
        return done.await();
    }

    /** Yields by waking itself and returning pending: no allocation. */
    static final class Yielder implements Future<Void> {
        private final Countdown done;
        private int remaining;

        Yielder(int yields, Countdown done) {
            this.remaining = yields;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (remaining-- == 0) {
                done.arrive();
                return Poll.ready(null);
            }
            cx.waker().wake();
            return Poll.pending();
        }
    }

    static final class ResubmittingYielder implements Runnable {
        private final ExecutorService executor;
        private final Countdown done;
        private int remaining;

        ResubmittingYielder(ExecutorService executor, int yields, Countdown done) {
            this.executor = executor;
            this.remaining = yields;
            this.done = done;
        }

        @Override
        public void run() {
            if (remaining-- == 0) {
                done.arrive();
            } else {
                executor.execute(this);
            }
        }
    }

    // ---------------------------------------------------------------- shared

    /** Counts arrivals from any thread; the last one releases the benchmark thread. */
    static final class Countdown {
        private final AtomicInteger remaining;
        private final CountDownLatch released = new CountDownLatch(1);

        Countdown(int n) {
            remaining = new AtomicInteger(n);
        }

        void arrive() {
            if (remaining.decrementAndGet() == 0) {
                released.countDown();
            }
        }

        Future<Void> asFuture() {
            return cx -> {
                arrive();
                return Poll.ready(null);
            };
        }

        Object await() throws InterruptedException {
            if (!released.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(remaining.get() + " arrivals missing after 60 s");
            }
            return released;
        }
    }
}
