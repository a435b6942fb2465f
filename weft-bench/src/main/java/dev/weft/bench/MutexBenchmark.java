package dev.weft.bench;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.sync.Mutex;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A lock under contention, in nanoseconds per increment: {@value #HOLDERS} holders each take the
 * lock {@value #ROUNDS} times to increment a shared counter.
 *
 * <ul>
 *   <li>{@code weft}: a {@link Mutex}, the holders tasks on a runtime of {@value #WORKERS}
 *       workers, each a loop that awaits {@code lock()} and unlocks.</li>
 *   <li>{@code reentrantLock}: a {@link ReentrantLock}, the holders virtual threads on
 *       {@code -Djdk.virtualThreadScheduler.parallelism=2} (JDK 21+).</li>
 *   <li>{@code synchronized}: a monitor, the holders virtual threads likewise.</li>
 *   <li>{@code kotlinx}: a kotlinx.coroutines {@code Mutex}, the holders coroutines on
 *       {@code Dispatchers.Default} of {@value #WORKERS} threads, each a loop of
 *       {@code withLock} ({@link Kotlinx#contended}).</li>
 * </ul>
 * {@code uncontended}: one holder takes and releases the lock {@value #ROUNDS} times on one
 * thread ({@code tryLock} and {@code unlock} for Weft and kotlinx, which is what an uncontended
 * {@code lock()} costs less its future).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=2",
    "-Dkotlinx.coroutines.scheduler.core.pool.size=2"})
public class MutexBenchmark {

    static final int WORKERS = 2;
    static final int HOLDERS = 100;
    static final int ROUNDS = 1_000;

    @Param({"weft", "reentrantLock", "synchronized", "kotlinx"})
    public String impl;

    private AsyncRuntime runtime;
    private ExecutorService threads;
    private final Object monitor = new Object();
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Mutex<long[]> mutex = new Mutex<>(new long[1]);
    private final Kotlinx.Counter kotlinxCounter = new Kotlinx.Counter();
    private long counter;

    @Setup(Level.Trial)
    public void start() throws ReflectiveOperationException {
        switch (impl) {
            case "weft" -> runtime = AsyncRuntime.builder().workerThreads(WORKERS).build();
            case "reentrantLock", "synchronized" -> threads = VirtualThreads.newExecutor();
            case "kotlinx" -> { }
            default -> throw new IllegalArgumentException("impl: unknown value '" + impl
                    + "'; expected weft, reentrantLock, synchronized or kotlinx");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (runtime != null) {
            runtime.shutdown(Duration.ofSeconds(5));
        } else if (threads != null) {
            threads.shutdown();
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException(impl + " did not terminate within 5 s");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOLDERS * ROUNDS)
    public long contended() throws InterruptedException {
        if (impl.equals("kotlinx")) {
            return Kotlinx.contended(kotlinxCounter, HOLDERS, ROUNDS);
        }
        CountDownLatch done = new CountDownLatch(HOLDERS);
        for (int h = 0; h < HOLDERS; h++) {
            if (runtime != null) {
                runtime.spawn(new Increments(mutex, done));
            } else if (impl.equals("reentrantLock")) {
                threads.execute(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        reentrantLock.lock();
                        try {
                            counter++;
                        } finally {
                            reentrantLock.unlock();
                        }
                    }
                    done.countDown();
                });
            } else {
                threads.execute(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        synchronized (monitor) {
                            counter++;
                        }
                    }
                    done.countDown();
                });
            }
        }
        done.await();
        return counter;
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long uncontended() {
        if (impl.equals("kotlinx")) {
            return Kotlinx.uncontended(kotlinxCounter, ROUNDS);
        }
        long n = 0;
        for (int i = 0; i < ROUNDS; i++) {
            switch (impl) {
                case "weft" -> {
                    Mutex.Guard<long[]> g = mutex.tryLock();
                    n += ++g.get()[0];
                    g.unlock();
                }
                case "reentrantLock" -> {
                    reentrantLock.lock();
                    try {
                        n += ++counter;
                    } finally {
                        reentrantLock.unlock();
                    }
                }
                default -> {
                    synchronized (monitor) {
                        n += ++counter;
                    }
                }
            }
        }
        return n;
    }

    /** Takes the lock {@value #ROUNDS} times, awaiting it, to increment the counter. */
    private static final class Increments implements Future<Void> {
        private final Mutex<long[]> mutex;
        private final CountDownLatch done;
        private int rounds;
        private Future<Mutex.Guard<long[]>> locking;

        Increments(Mutex<long[]> mutex, CountDownLatch done) {
            this.mutex = mutex;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (rounds < ROUNDS) {
                if (locking == null) {
                    locking = mutex.lock();
                }
                Poll<Mutex.Guard<long[]>> p = locking.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                locking = null;
                Mutex.Guard<long[]> g = p.value();
                g.get()[0]++;
                g.unlock();
                rounds++;
            }
            done.countDown();
            return Poll.ready(null);
        }
    }
}
