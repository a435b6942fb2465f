package dev.weft.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.buffer.BufferPool.SizeClass;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The pool's contract on one thread, and its caches across threads that end. */
class BufferPoolTest {

    private static BufferPool quiet() {
        return BufferPool.builder().leakDetection(LeakDetection.OFF).build();
    }

    @Test
    void aCapacityBelowOne_isRefusedNamingIt() {
        BufferPool pool = quiet();
        assertThatThrownBy(() -> pool.acquire(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be 1 or more, was 0");
        assertThatThrownBy(() -> pool.acquire(-5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be 1 or more, was -5");
        assertThatThrownBy(() -> BufferPool.builder().maxRetainedBytes(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetainedBytes must be 0 or more, was -1");
        assertThatThrownBy(() -> BufferPool.builder().leakDetection(null))
                .isInstanceOf(NullPointerException.class).hasMessage("mode");
    }

    @Test
    void theTierBoundaries_1024_1025_65536_65537() {
        BufferPool pool = quiet();
        try (PooledBuffer small = pool.acquire(1024);
                PooledBuffer medium = pool.acquire(1025);
                PooledBuffer topMedium = pool.acquire(65_536);
                PooledBuffer large = pool.acquire(65_537)) {
            assertThat(small.capacity()).isEqualTo(1024);
            assertThat(medium.capacity()).isEqualTo(1280);
            assertThat(topMedium.capacity()).isEqualTo(65_536);
            assertThat(large.capacity()).isEqualTo(65_537);
        }
        BufferPool.Stats stats = pool.stats();
        assertThat(stats.misses(SizeClass.SMALL)).isEqualTo(1);
        assertThat(stats.misses(SizeClass.MEDIUM)).isEqualTo(2);
        assertThat(stats.misses(SizeClass.LARGE)).isEqualTo(1);
        // the large one went back to the JVM; the pooled ones stay for reuse
        assertThat(stats.retainedBytes()).isEqualTo(1024 + 1280 + 65_536);
        assertThat(stats.allocatedBytes()).isEqualTo(stats.retainedBytes());
        assertThat(stats.peakBytes()).isEqualTo(1024 + 1280 + 65_536 + 65_537);
        assertThat(stats.inUse()).isZero();
    }

    @Test
    void aBuffer_isClearedDirectAndBigEndian_whenAcquiredAgain() {
        BufferPool pool = quiet();
        PooledBuffer first = pool.acquire(100);
        ByteBuffer b = first.buffer();
        assertThat(b.isDirect()).isTrue();
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(7).limit(10);
        first.release();
        PooledBuffer again = pool.acquire(100);
        assertThat(again.buffer()).isSameAs(b); // reused: the last given back is first out
        assertThat(b.position()).isZero();
        assertThat(b.limit()).isEqualTo(b.capacity()).isEqualTo(112);
        assertThat(b.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        again.release();
        assertThat(pool.stats().hits(SizeClass.SMALL)).isEqualTo(1);

        BufferPool heap = BufferPool.builder().direct(false).build();
        try (PooledBuffer h = heap.acquire(10)) {
            assertThat(h.buffer().isDirect()).isFalse();
        }
    }

    @Test
    void releasingTwice_orUsingAfterRelease_throwsNamingTheBuffer() {
        BufferPool pool = quiet();
        PooledBuffer b = pool.acquire(64);
        b.release();
        assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("PooledBuffer[64 bytes, direct")
                .hasMessageEndingWith("released] was released twice");
        assertThatThrownBy(b::buffer).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("was used after its release");
        assertThatThrownBy(b::close).isInstanceOf(IllegalStateException.class);
        // a stale handle cannot release the buffer the next acquirer holds
        PooledBuffer next = pool.acquire(64);
        assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class);
        assertThat(pool.stats().inUse()).isEqualTo(1);
        next.close();
        assertThat(pool.stats().inUse()).isZero();
    }

    @Test
    void anEmptyCache_refillsABatch_andAFullOne_givesHalfBack() {
        BufferPool pool = quiet();
        int batch = ThreadCache.batch(SizeClasses.indexOf(4096)); // 64
        List<PooledBuffer> held = new ArrayList<>();
        for (int i = 0; i < 3 * batch; i++) {
            held.add(pool.acquire(4096));
        }
        held.forEach(PooledBuffer::release); // the cache keeps 2 batches, gives the rest back
        assertThat(pool.depot(SizeClasses.indexOf(4096)).size()).isEqualTo(batch);
        held.clear();
        for (int i = 0; i < 3 * batch; i++) {
            held.add(pool.acquire(4096));
        }
        BufferPool.Stats stats = pool.stats();
        assertThat(stats.misses(SizeClass.MEDIUM)).isEqualTo(3 * batch);
        assertThat(stats.hits(SizeClass.MEDIUM)).isEqualTo(3 * batch); // the last batch refilled
        assertThat(pool.depot(SizeClasses.indexOf(4096)).size()).isZero();
        held.forEach(PooledBuffer::release);
    }

    @Test
    void retainedBytes_neverPassTheBound_andTheRestGoBackToTheJvm() {
        BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF)
                .maxRetainedBytes(100_000).build();
        List<PooledBuffer> held = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            held.add(pool.acquire(4096));
        }
        for (PooledBuffer b : held) {
            b.release();
            assertThat(pool.stats().retainedBytes()).isLessThanOrEqualTo(100_000);
        }
        BufferPool.Stats stats = pool.stats();
        assertThat(stats.retainedBytes()).isEqualTo(24 * 4096); // what fits under 100,000
        assertThat(stats.allocatedBytes()).isEqualTo(stats.retainedBytes());
        assertThat(stats.peakBytes()).isEqualTo(100 * 4096);

        BufferPool none = BufferPool.builder().maxRetainedBytes(0).build();
        none.acquire(10).release();
        assertThat(none.stats().retainedBytes()).isZero();
        assertThat(none.stats().allocatedBytes()).isZero();
    }

    @Test
    void aFullCache_thatFlushes_whenTheBoundIsReached_keepsEveryBufferItCounts() {
        // 512 KiB: a full stack of 128 4-KiB buffers takes all of it, so the release that flushes
        // half of it to the depot finds no room left for itself (a stress test found the stack's
        // count left stale there, and a later acquire got null)
        BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF)
                .maxRetainedBytes(512 * 1024).build();
        List<PooledBuffer> held = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) {
                held.add(pool.acquire(4096));
            }
            Set<ByteBuffer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            held.forEach(b -> distinct.add(b.buffer()));
            assertThat(distinct).doesNotContainNull().hasSize(200);
            held.forEach(PooledBuffer::release);
            held.clear();
            assertThat(pool.stats().retainedBytes()).isEqualTo(512 * 1024);
        }
    }

    @Test
    void theCacheOfAThreadThatEnded_isGivenBack() throws InterruptedException {
        BufferPool pool = quiet();
        Thread worker = new Thread(() -> {
            List<PooledBuffer> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                held.add(pool.acquire(256));
            }
            held.forEach(PooledBuffer::release); // into this thread's cache
        });
        worker.start();
        worker.join();
        assertThat(pool.depot(SizeClasses.indexOf(256)).size()).isZero();
        BufferPool.Stats stats = pool.stats(); // finds the ended thread's cache
        assertThat(pool.depot(SizeClasses.indexOf(256)).size()).isEqualTo(10);
        assertThat(stats.retainedBytes()).isEqualTo(10 * 256);
        for (int i = 0; i < 10; i++) {
            pool.acquire(256).release();
        }
        assertThat(pool.stats().hits(SizeClass.SMALL)).isEqualTo(10);
        assertThat(pool.stats().misses(SizeClass.SMALL)).isEqualTo(10);
    }

    @Test
    void afterClose_aLiveThreadsCache_letsGoWhenItNextReleases_andAnEndedOnesAtOnce()
            throws InterruptedException {
        BufferPool pool = quiet();
        CountDownLatch cached = new CountDownLatch(2);
        CountDownLatch closed = new CountDownLatch(1);
        Thread live = new Thread(() -> {
            List<PooledBuffer> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                held.add(pool.acquire(256));
            }
            PooledBuffer last = held.remove(9);
            held.forEach(PooledBuffer::release); // 9 kept in this thread's cache
            cached.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            last.release(); // the pool is closed: this lets go of the 9 too
        });
        Thread ended = new Thread(() -> {
            pool.acquire(512).release(); // kept in this thread's cache, which ends
            cached.countDown();
        });
        live.start();
        ended.start();
        cached.await();
        ended.join();
        pool.close();
        assertThat(pool.stats().allocatedBytes()).as("the live thread's 9 and its 1 in use")
                .isEqualTo(10 * 256);
        closed.countDown();
        live.join();
        BufferPool.Stats stats = pool.stats();
        assertThat(stats.allocatedBytes()).isZero();
        assertThat(stats.retainedBytes()).isZero();
        assertThat(stats.inUse()).isZero();
    }

    @Test
    void inUse_countsABufferAcquiredOnAThreadThatEnded_andReleasedElsewhere()
            throws InterruptedException {
        BufferPool pool = quiet();
        pool.acquire(64).release(); // this thread has a cache before the other one ends
        List<PooledBuffer> handed = new ArrayList<>();
        Thread acquirer = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                handed.add(pool.acquire(64));
            }
        });
        acquirer.start();
        acquirer.join();
        assertThat(pool.stats().inUse()).isEqualTo(10);
        handed.forEach(PooledBuffer::release);
        assertThat(pool.stats().inUse()).isZero();
    }

    @Test
    void withBuffer_releasesWhenItsBodyCompletes_fails_orIsDropped() {
        BufferPool pool = quiet();
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            int capacity = runtime.blockOn(pool.withBuffer(100, b -> Async.ready(b.capacity())));
            assertThat(capacity).isEqualTo(112);
            assertThat(pool.stats().inUse()).isZero();

            assertThatThrownBy(() -> runtime.blockOn(pool.withBuffer(100, b -> {
                throw new IllegalStateException("the body threw");
            }))).hasMessage("the body threw");
            assertThat(pool.stats().inUse()).isZero();

            Future<Integer> failing = cx -> {
                throw new IllegalStateException("its future failed");
            };
            assertThatThrownBy(() -> runtime.blockOn(pool.withBuffer(100, b -> failing)))
                    .hasMessage("its future failed");
            assertThat(pool.stats().inUse()).isZero();

            JoinHandle<Void> waiting = runtime.spawn(pool.withBuffer(100,
                    b -> Async.sleep(Duration.ofHours(1))));
            runtime.blockOn(Async.yieldNow()); // the task runs: it holds the buffer and waits
            assertThat(pool.stats().inUse()).isEqualTo(1);
            assertThat(waiting.abort()).isTrue();
            assertThat(pool.stats().inUse()).isZero();

            String done = runtime.blockOn(pool.withBuffer(100, b -> {
                b.release(); // the body gave it back itself: not released twice
                return Async.ready("done");
            }));
            assertThat(done).isEqualTo("done");
            assertThat(pool.stats().inUse()).isZero();
        }
        assertThatThrownBy(() -> pool.withBuffer(0, b -> Async.ready(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be 1 or more, was 0");
        assertThatThrownBy(() -> pool.withBuffer(1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("body");
    }

    @Test
    void use_releasesWhenItsBodyCompletes_fails_orIsDropped() {
        BufferPool pool = quiet();
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            int capacity = runtime.blockOn(pool.acquire(100).use(b -> Async.ready(b.capacity())));
            assertThat(capacity).isEqualTo(112);
            assertThat(pool.stats().inUse()).isZero();

            Future<Integer> failing = cx -> {
                throw new IllegalStateException("its future failed");
            };
            assertThatThrownBy(() -> runtime.blockOn(pool.acquire(100).use(b -> failing)))
                    .hasMessage("its future failed");
            assertThat(pool.stats().inUse()).isZero();

            JoinHandle<Void> waiting = runtime.spawn(pool.acquire(100)
                    .use(b -> Async.sleep(Duration.ofHours(1))));
            runtime.blockOn(Async.yieldNow()); // the task runs: it waits, holding the buffer
            assertThat(pool.stats().inUse()).isEqualTo(1);
            assertThat(waiting.abort()).isTrue();
            assertThat(pool.stats().inUse()).isZero();

            // dropped before its first poll, by a combinator: a select's loser
            PooledBuffer loserHolds = pool.acquire(100);
            assertThat(pool.stats().inUse()).isEqualTo(1);
            runtime.blockOn(Async.select(Async.ready("won"),
                    loserHolds.use(b -> Async.ready(1))));
            assertThat(pool.stats().inUse()).isZero();

            String done = runtime.blockOn(pool.acquire(100).use(b -> {
                b.release(); // the body gave it back itself: not released twice
                return Async.ready("done");
            }));
            assertThat(done).isEqualTo("done");
            assertThat(pool.stats().inUse()).isZero();
        }
        assertThatThrownBy(() -> pool.acquire(1).use(null))
                .isInstanceOf(NullPointerException.class).hasMessage("body");
    }

    @Test
    void aClosedPool_refusesAcquires_andFreesWhatItKept() {
        BufferPool pool = quiet();
        PooledBuffer held = pool.acquire(512);
        pool.acquire(512).release();
        assertThat(pool.stats().retainedBytes()).isEqualTo(512);
        pool.close();
        assertThat(pool.stats().retainedBytes()).isZero();
        assertThatThrownBy(() -> pool.acquire(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the buffer pool is closed");
        held.release(); // still allowed: back to the JVM
        assertThat(pool.stats().allocatedBytes()).isZero();
        assertThat(pool.stats().inUse()).isZero();
        pool.close(); // idempotent
    }
}
