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
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The direct memory each pool still holds after a burst: {@value #DEFAULT_MIB} MiB of traffic
 * (buffers of 256 B, 4 KiB and 64 KiB, each thread holding up to 32 at once) across 2 long-lived
 * workers and 8 short-lived threads, which hand half their buffers to a worker to release; then
 * the short-lived threads end, the workers stay, idle, and the pool is asked what it holds: at
 * once, and after {@value #IDLE_SECONDS} seconds of idleness (with full collections, so that what
 * a pool frees when a thread's cache is collected is freed).
 *
 * <p>The rows: Weft's {@code BufferPool} with its default bound (64 MiB) on plain threads, where
 * nothing trims it; the pool of a Weft runtime ({@code AsyncRuntime.buffers()}), its 2 workers
 * the runtime's, running the workers' part as tasks, whose idle cleanup gives back what nothing
 * needs; and Netty's pooled and adaptive allocators ({@link BufferAllocator#of}) on plain threads.
 * Not a JMH benchmark: it measures memory, not time.
 *
 * <pre>java -cp weft-bench/target/benchmarks.jar dev.weft.bench.RetainedMemory [MiB]</pre>
 */
public final class RetainedMemory {

    static final int DEFAULT_MIB = 1024;
    static final int IDLE_SECONDS = 4;
    private static final int WORKERS = 2;
    private static final int SHORT_LIVED = 8;
    private static final int HELD = 32;
    private static final int[] SIZES = {256, 4096, 65536};

    private RetainedMemory() {
    }

    public static void main(String[] args) throws InterruptedException {
        long mib = DEFAULT_MIB;
        if (args.length > 0) {
            try {
                mib = Long.parseLong(args[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MiB: expected a positive integer, got '"
                        + args[0] + "'", e);
            }
            if (mib <= 0) {
                throw new IllegalArgumentException("MiB: expected a positive integer, got " + mib);
            }
        }
        long traffic = mib * 1024 * 1024;
        System.out.printf("%-44s %16s %16s%n", "bytes held after " + mib + " MiB", "at once",
                "after " + IDLE_SECONDS + " s idle");
        report("Weft BufferPool, plain threads", traffic, BufferAllocator.of("weft"),
                Workers.THREADS);
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(WORKERS).build()) {
            report("Weft runtime's pool, runtime workers", traffic,
                    BufferAllocator.weft(runtime.buffers()), Workers.runtime(runtime));
        }
        report("Netty PooledByteBufAllocator", traffic, BufferAllocator.of("nettyPooled"),
                Workers.THREADS);
        report("Netty AdaptiveByteBufAllocator", traffic, BufferAllocator.of("nettyAdaptive"),
                Workers.THREADS);
    }

    private static void report(String name, long traffic, BufferAllocator allocator,
            Workers workers) throws InterruptedException {
        try (allocator) {
            long[] held = run(traffic, allocator, workers);
            System.out.printf("%-44s %,16d %,16d%n", name, held[0], held[1]);
        }
    }

    /** Where the workers' part runs: plain threads, or a runtime's tasks. */
    interface Workers {
        /** Starts the workers; the returned action stops them and waits for their end. */
        StopAction start(BufferAllocator pool, BlockingQueue<Object> handOff, AtomicLong handedOver,
                AtomicLong left);

        Workers THREADS = (pool, handOff, handedOver, left) -> {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int seed = 100 + w;
                Thread worker = new Thread(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try {
                        while (true) {
                            traffic(pool, random, left, 64);
                            Object b = left.get() > 0 ? handOff.poll() : handOff.take();
                            while (b != null) {
                                pool.release(b);
                                handedOver.decrementAndGet();
                                b = handOff.poll();
                            }
                        }
                    } catch (InterruptedException stop) {
                        // measured: the worker ends
                    }
                }, "worker-" + w);
                worker.start();
                threads.add(worker);
            }
            return () -> {
                threads.forEach(Thread::interrupt);
                for (Thread t : threads) {
                    t.join();
                }
            };
        };

        /**
         * The workers as tasks of {@code runtime}: each does a little traffic and releases what
         * was handed over, then yields; once the traffic is done, it waits for hand-overs with
         * the runtime's timers (a 1 ms sleep between looks), so its workers idle in between.
         */
        static Workers runtime(AsyncRuntime runtime) {
            return (pool, handOff, handedOver, left) -> {
                AtomicBoolean stop = new AtomicBoolean();
                List<JoinHandle<Void>> tasks = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    SplittableRandom random = new SplittableRandom(100 + w);
                    tasks.add(runtime.spawn(new Future<Void>() {
                        private Future<Void> nap;

                        @Override
                        public Poll<Void> poll(Context cx) {
                            while (!stop.get()) {
                                if (nap != null) {
                                    if (!nap.poll(cx).isReady()) {
                                        return Poll.pending();
                                    }
                                    nap = null;
                                }
                                traffic(pool, random, left, 64);
                                for (Object b; (b = handOff.poll()) != null; ) {
                                    pool.release(b);
                                    handedOver.decrementAndGet();
                                }
                                if (left.get() > 0) {
                                    cx.waker().wake(); // yield: the runtime's other work runs
                                    return Poll.pending();
                                }
                                nap = Async.sleep(Duration.ofMillis(1));
                            }
                            return Poll.ready(null);
                        }
                    }));
                }
                return () -> {
                    stop.set(true);
                    for (JoinHandle<Void> t : tasks) {
                        t.join();
                    }
                };
            };
        }
    }

    /** Stops what {@link Workers#start} started. */
    @FunctionalInterface
    interface StopAction {
        void stop() throws InterruptedException;
    }

    /**
     * Runs the burst; returns what the pool holds once only the idle workers are left, at once
     * and after {@value #IDLE_SECONDS} seconds.
     */
    private static long[] run(long traffic, BufferAllocator pool, Workers kind)
            throws InterruptedException {
        BlockingQueue<Object> toWorkers = new ArrayBlockingQueue<>(1024);
        AtomicLong handedOver = new AtomicLong(); // handed to a worker, not yet released
        AtomicLong left = new AtomicLong(traffic);
        StopAction workers = kind.start(pool, toWorkers, handedOver, left);
        List<Thread> shortLived = new ArrayList<>();
        for (int t = 0; t < SHORT_LIVED; t++) {
            int seed = t;
            Thread thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                List<Object> held = new ArrayList<>();
                try {
                    while (left.get() > 0) {
                        for (int i = 0; i < HELD; i++) {
                            int size = SIZES[random.nextInt(SIZES.length)];
                            left.addAndGet(-size);
                            held.add(pool.acquire(size));
                        }
                        for (int i = 0; i < held.size(); i++) {
                            if ((i & 1) == 0) {
                                pool.release(held.get(i));
                            } else {
                                handedOver.incrementAndGet();
                                toWorkers.put(held.get(i));
                            }
                        }
                        held.clear();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "short-lived-" + t);
            thread.start();
            shortLived.add(thread);
        }
        for (Thread t : shortLived) {
            t.join();
        }
        while (handedOver.get() > 0) { // the workers release the last handed to them
            Thread.sleep(10);
        }
        // only the idle workers are left; collections let what frees on a thread's end run
        long[] held = new long[2];
        collect();
        held[0] = pool.heldBytes();
        for (int i = 0; i < IDLE_SECONDS * 10; i++) {
            Thread.sleep(100);
        }
        collect();
        held[1] = pool.heldBytes();
        workers.stop();
        return held;
    }

    private static void collect() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    /** A worker's own traffic: a few buffers acquired and released, while any is left. */
    private static void traffic(BufferAllocator pool, SplittableRandom random, AtomicLong left,
            int n) {
        for (int i = 0; i < n && left.get() > 0; i++) {
            int size = SIZES[random.nextInt(SIZES.length)];
            left.addAndGet(-size);
            pool.release(pool.acquire(size));
        }
    }
}
