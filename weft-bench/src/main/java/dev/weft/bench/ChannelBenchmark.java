package dev.weft.bench;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.sync.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Channel throughput, in nanoseconds per message: {@value #MESSAGES} messages from producers to
 * consumers, one of each ({@code 1x1}) or four of each ({@code 4x4}), through a channel of 1, 16
 * or 1,024 messages or an unbounded one ({@code capacity} -1).
 *
 * <ul>
 *   <li>{@code weft}: a {@link Channel}, producers and consumers tasks on a runtime of
 *       {@value #WORKERS} workers, each a loop that awaits {@code send} or {@code receive}.</li>
 *   <li>{@code platform}: an {@link ArrayBlockingQueue} ({@link LinkedBlockingQueue} when
 *       unbounded), producers and consumers platform threads blocked in {@code put} and
 *       {@code take}.</li>
 *   <li>{@code virtual}: the same queue, producers and consumers virtual threads on
 *       {@code -Djdk.virtualThreadScheduler.parallelism=2} (JDK 21+).</li>
 *   <li>{@code kotlinx}: a kotlinx.coroutines {@code Channel}, producers and consumers
 *       coroutines on {@code Dispatchers.Default} of {@value #WORKERS} threads
 *       ({@link Kotlinx#transfer}).</li>
 * </ul>
 * The last producer to finish closes the channel (for the queues: puts one end marker per
 * consumer); each consumer receives until the end, and the benchmark thread waits for them all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=2",
    "-Dkotlinx.coroutines.scheduler.core.pool.size=2"})
public class ChannelBenchmark {

    static final int WORKERS = 2;
    static final int MESSAGES = 100_000;
    private static final Integer END = -1;

    @Param({"weft", "platform", "virtual", "kotlinx"})
    public String impl;

    @Param({"1", "16", "1024", "-1"})
    public int capacity;

    @Param({"1x1", "4x4"})
    public String shape;

    private AsyncRuntime runtime;
    private ExecutorService threads;
    private int producers;
    private int consumers;

    @Setup(Level.Trial)
    public void start() throws ReflectiveOperationException {
        switch (shape) {
            case "1x1" -> producers = consumers = 1;
            case "4x4" -> producers = consumers = 4;
            default -> throw new IllegalArgumentException("shape: unknown value '" + shape
                    + "'; expected 1x1 or 4x4");
        }
        if (capacity == 0 || capacity < -1) {
            throw new IllegalArgumentException("capacity: expected 1 or more, or -1 for "
                    + "unbounded, was " + capacity);
        }
        switch (impl) {
            case "weft" -> runtime = AsyncRuntime.builder().workerThreads(WORKERS).build();
            case "platform" -> threads = Executors.newFixedThreadPool(producers + consumers);
            case "virtual" -> threads = VirtualThreads.newExecutor();
            case "kotlinx" -> { }
            default -> throw new IllegalArgumentException("impl: unknown value '" + impl
                    + "'; expected weft, platform, virtual or kotlinx");
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
    @OperationsPerInvocation(MESSAGES)
    public int transfer() throws InterruptedException {
        if (runtime != null) {
            return weft();
        }
        return threads != null ? queue()
                : sum(new int[] {Kotlinx.transfer(capacity, producers, consumers, MESSAGES)});
    }

    private int weft() throws InterruptedException {
        Channel<Integer> channel = capacity > 0 ? Channel.bounded(capacity) : Channel.unbounded();
        AtomicInteger producing = new AtomicInteger(producers);
        CountDownLatch done = new CountDownLatch(consumers);
        int[] received = new int[consumers];
        for (int p = 0; p < producers; p++) {
            runtime.spawn(new Producer(channel, MESSAGES / producers, producing));
        }
        for (int c = 0; c < consumers; c++) {
            runtime.spawn(new Consumer(channel, received, c, done));
        }
        done.await();
        return sum(received);
    }

    private int queue() throws InterruptedException {
        BlockingQueue<Integer> queue = capacity > 0 ? new ArrayBlockingQueue<>(capacity)
                : new LinkedBlockingQueue<>();
        AtomicInteger producing = new AtomicInteger(producers);
        CountDownLatch done = new CountDownLatch(consumers);
        int[] received = new int[consumers];
        List<Runnable> bodies = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            bodies.add(() -> {
                try {
                    for (int i = 0; i < MESSAGES / producers; i++) {
                        queue.put(i);
                    }
                    if (producing.decrementAndGet() == 0) {
                        for (int c = 0; c < consumers; c++) {
                            queue.put(END);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (int c = 0; c < consumers; c++) {
            int consumer = c;
            bodies.add(() -> {
                try {
                    int n = 0;
                    while (queue.take() != END) {
                        n++;
                    }
                    received[consumer] = n;
                    done.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        bodies.forEach(threads::execute);
        done.await();
        return sum(received);
    }

    private static int sum(int[] counts) {
        int total = 0;
        for (int n : counts) {
            total += n;
        }
        if (total != MESSAGES) {
            throw new IllegalStateException(total + " messages received of " + MESSAGES);
        }
        return total;
    }

    /** Sends {@code n} messages, one send awaited at a time; the last producer closes. */
    private static final class Producer implements Future<Void> {
        private final Channel<Integer> channel;
        private final int n;
        private final AtomicInteger producing;
        private int sent;
        private Future<Void> sending;

        Producer(Channel<Integer> channel, int n, AtomicInteger producing) {
            this.channel = channel;
            this.n = n;
            this.producing = producing;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (true) {
                if (sending == null) {
                    if (sent == n) {
                        if (producing.decrementAndGet() == 0) {
                            channel.close();
                        }
                        return Poll.ready(null);
                    }
                    sending = channel.send(sent);
                }
                if (!sending.poll(cx).isReady()) {
                    return Poll.pending();
                }
                sending = null;
                sent++;
            }
        }
    }

    /** Receives until the channel is closed and drained, counting the messages. */
    private static final class Consumer implements Future<Void> {
        private final Channel<Integer> channel;
        private final int[] received;
        private final int index;
        private final CountDownLatch done;
        private int count;
        private Future<Integer> receiving;

        Consumer(Channel<Integer> channel, int[] received, int index, CountDownLatch done) {
            this.channel = channel;
            this.received = received;
            this.index = index;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (true) {
                if (receiving == null) {
                    receiving = channel.receive();
                }
                Poll<Integer> p = receiving.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                receiving = null;
                if (p.value() == null) {
                    received[index] = count;
                    done.countDown();
                    return Poll.ready(null);
                }
                count++;
            }
        }
    }
}
