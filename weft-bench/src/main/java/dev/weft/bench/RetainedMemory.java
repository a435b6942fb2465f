package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The direct memory each pool still holds after a burst: {@value #DEFAULT_MIB} MiB of traffic
 * (buffers of 256 B, 4 KiB and 64 KiB, each thread holding up to 32 at once) across 2 long-lived
 * worker threads and 8 short-lived threads, which hand half their buffers to a worker to release;
 * then the short-lived threads end, the workers stay, and the pool is asked what it holds (after
 * full collections, so that what a pool frees when a thread's cache is collected is freed).
 * Weft's {@code BufferPool} with its default bound (64 MiB) against Netty's pooled and adaptive
 * allocators ({@link BufferAllocator#of}). Not a JMH
 * benchmark: it measures memory, not time.
 *
 * <pre>java -cp weft-bench/target/benchmarks.jar dev.weft.bench.RetainedMemory [MiB]</pre>
 */
public final class RetainedMemory {

    static final int DEFAULT_MIB = 1024;
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
        String[][] pools = {
            {"weft", "Weft BufferPool (bound 64 MiB)"},
            {"nettyPooled", "Netty PooledByteBufAllocator"},
            {"nettyAdaptive", "Netty AdaptiveByteBufAllocator"},
        };
        for (String[] pool : pools) {
            try (BufferAllocator allocator = BufferAllocator.of(pool[0])) {
                System.out.printf("%-34s %,14d bytes held after %,d MiB%n", pool[1],
                        run(traffic, allocator), mib);
            }
        }
    }

    /** Runs the burst; returns what the pool holds once only the idle workers are left. */
    private static long run(long traffic, BufferAllocator pool) throws InterruptedException {
        BlockingQueue<Object> toWorkers = new ArrayBlockingQueue<>(1024);
        AtomicLong handedOver = new AtomicLong(); // handed to a worker, not yet released
        AtomicLong left = new AtomicLong(traffic);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int seed = 100 + w;
            Thread worker = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    while (true) {
                        traffic(pool, random, left, 64);
                        Object b = left.get() > 0 ? toWorkers.poll() : toWorkers.take();
                        while (b != null) {
                            pool.release(b);
                            handedOver.decrementAndGet();
                            b = toWorkers.poll();
                        }
                    }
                } catch (InterruptedException stop) {
                    // measured: the worker ends
                }
            }, "worker-" + w);
            worker.start();
            workers.add(worker);
        }
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
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long held = pool.heldBytes();
        workers.forEach(Thread::interrupt);
        for (Thread w : workers) {
            w.join();
        }
        return held;
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
