package dev.weft.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.buffer.BufferPool.SizeClass;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Buffers acquired on some threads and released on others, of every tier, under a small bound:
 * afterwards every buffer is accounted for (acquired = released, none in use), the retained bytes
 * were never above the bound, and what the pool counts as allocated is exactly what it retains.
 */
class BufferPoolStressTest {

    private static final int PAIRS = 4;
    private static final int BUFFERS_PER_PRODUCER = 20_000;
    private static final long BOUND = 2L * 1024 * 1024;
    /** Pooled sizes of both tiers; one acquire in 512 is of a large, unpooled, buffer. */
    private static final int[] SIZES = {1, 100, 1024, 1025, 4096, 20_000, 65_536};
    private static final int LARGE = 70_000;

    @Test
    void crossThreadReleases_onPlatformThreads_conserveEveryBuffer() throws InterruptedException {
        run(Thread::new);
    }

    @Test
    void crossThreadReleases_onVirtualThreads_conserveEveryBuffer() throws Exception {
        Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException beforeJdk21) {
            Assumptions.abort("virtual threads need JDK 21+");
            return;
        }
        Object builder = ofVirtual.invoke(null);
        // through the public interface: the builder's own class is not accessible
        ThreadFactory factory = (ThreadFactory) Class.forName("java.lang.Thread$Builder")
                .getMethod("factory").invoke(builder);
        run(factory);
    }

    private static void run(ThreadFactory threads) throws InterruptedException {
        BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF)
                .maxRetainedBytes(BOUND).build();
        List<Thread> all = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long[] maxRetainedSeen = new long[PAIRS];
        for (int p = 0; p < PAIRS; p++) {
            BlockingQueue<PooledBuffer> handOver = new ArrayBlockingQueue<>(256);
            int seed = p;
            int pair = p;
            all.add(threads.newThread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    for (int i = 0; i < BUFFERS_PER_PRODUCER; i++) {
                        PooledBuffer b = pool.acquire((i & 511) == 511 ? LARGE
                                : SIZES[random.nextInt(SIZES.length)]);
                        b.buffer().putInt(0, i); // the buffer is usable, whoever had it before
                        if (random.nextInt(4) == 0) {
                            b.release(); // released on the acquiring thread
                        } else {
                            handOver.put(b);
                        }
                    }
                    PooledBuffer end = pool.acquire(1); // the end marker, released too
                    end.buffer().putInt(0, -1);
                    handOver.put(end);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            all.add(threads.newThread(() -> {
                try {
                    while (true) {
                        PooledBuffer b = handOver.take();
                        boolean end = b.capacity() == 16 && b.buffer().getInt(0) == -1;
                        b.release();
                        if (end) {
                            return;
                        }
                        if ((b.hashCode() & 63) == 0) {
                            maxRetainedSeen[pair] = Math.max(maxRetainedSeen[pair],
                                    pool.stats().retainedBytes());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : all) {
            t.setUncaughtExceptionHandler((thread, failure) -> {
                failures.add(failure);
                all.forEach(Thread::interrupt); // the others would wait for it forever
            });
        }
        all.forEach(Thread::start);
        for (Thread t : all) {
            t.join();
        }
        assertThat(failures).isEmpty();
        BufferPool.Stats stats = pool.stats();
        assertThat(stats.inUse()).as("buffers in use after every release").isZero();
        assertThat(stats.retainedBytes()).isLessThanOrEqualTo(BOUND);
        for (long seen : maxRetainedSeen) {
            assertThat(seen).as("retained bytes seen while running").isLessThanOrEqualTo(BOUND);
        }
        assertThat(stats.allocatedBytes()).as("allocated = retained once nothing is in use")
                .isEqualTo(stats.retainedBytes());
        long acquisitions = 0;
        for (SizeClass c : SizeClass.values()) {
            acquisitions += stats.hits(c) + stats.misses(c);
        }
        assertThat(acquisitions).isEqualTo(PAIRS * (BUFFERS_PER_PRODUCER + 1L));
    }
}
