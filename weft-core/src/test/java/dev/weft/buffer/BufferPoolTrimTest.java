package dev.weft.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.EndedThreads;
import org.junit.jupiter.api.Test;

/**
 * {@link BufferPool#trim}: it gives back the shared level's buffers that no acquire needed since
 * the interval began, no more than it is asked to, begins a new interval once none idle is left,
 * and takes back the caches of threads that ended.
 */
class BufferPoolTrimTest {

    private static final int SIZE = 4096; // a class of its own: a power of two

    private static BufferPool quiet() {
        return BufferPool.builder().leakDetection(LeakDetection.OFF).build();
    }

    @Test
    void aBoundBelowOne_isRefusedNamingIt() {
        BufferPool pool = quiet();
        assertThatThrownBy(() -> pool.trim(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBuffers must be 1 or more, was 0");
    }

    @Test
    void buffersIdleSinceThePreviousTrim_areFreed_andNoMoreThanAsked()
            throws InterruptedException {
        BufferPool pool = quiet();
        EndedThreads.leaveInACache(pool, 100, SIZE);

        // the ended cache goes to the shared level now; none of it was idle for an interval yet
        assertThat(pool.trim(1000)).isZero();
        assertThat(pool.stats().retainedBytes()).isEqualTo(100L * SIZE);

        assertThat(pool.trim(30)).isEqualTo(30);
        assertThat(pool.trim(1000)).isEqualTo(70); // the idle ones the bound left
        BufferPool.Stats after = pool.stats();
        assertThat(after.retainedBytes()).isZero();
        assertThat(after.allocatedBytes()).isZero();
        assertThat(pool.trim(1000)).isZero();
    }

    @Test
    void buffersAnAcquireNeeded_areKept() throws InterruptedException {
        BufferPool pool = quiet();
        EndedThreads.leaveInACache(pool, 100, SIZE);
        assertThat(pool.trim(1000)).isZero(); // starts the interval

        // one acquire refills this thread's cache with a batch (64 of 4 KiB) from the top
        PooledBuffer one = pool.acquire(SIZE);
        assertThat(pool.trim(1000)).isEqualTo(100 - 64);

        one.release();
        BufferPool.Stats stats = pool.stats();
        assertThat(stats.retainedBytes()).isEqualTo(64L * SIZE); // this thread's cache
        assertThat(stats.allocatedBytes()).isEqualTo(64L * SIZE);
        assertThat(stats.inUse()).isZero();
    }

    @Test
    void buffersTakenAndGivenBackDuringTheInterval_waitForTheNext() throws InterruptedException {
        BufferPool pool = quiet();
        EndedThreads.leaveInACache(pool, 10, SIZE);
        assertThat(pool.trim(1000)).isZero();
        // another thread takes 5, its cache refilling a batch of up to 64: all 10, then ends
        EndedThreads.leaveInACache(pool, 5, SIZE);
        assertThat(pool.trim(1000)).as("every one was taken in the interval").isZero();
        assertThat(pool.trim(1000)).as("and then left idle").isEqualTo(10);
        assertThat(pool.stats().retainedBytes()).isZero();
    }

    @Test
    void trimsInBatches_neverFreeWhatWasUsedInTheInterval() throws InterruptedException {
        BufferPool pool = quiet();
        int large = 64 * 1024; // a class whose caches refill 4 at a time
        EndedThreads.leaveInACache(pool, 40, large);
        assertThat(pool.trim(1000)).isZero(); // the interval begins with 40 in the shared level
        EndedThreads.leaveInACache(pool, 1, large); // takes a batch of 4, gives them back

        // 36 stayed idle: batches of 12 take them, and the batch that finds none idle left
        // begins the next interval without freeing the 4 that were used
        assertThat(pool.trim(12)).isEqualTo(12);
        assertThat(pool.trim(12)).isEqualTo(12);
        assertThat(pool.trim(12)).isEqualTo(12);
        assertThat(pool.trim(12)).isZero();
        assertThat(pool.stats().retainedBytes()).isEqualTo(4L * large);
        assertThat(pool.trim(12)).as("idle for a whole interval now").isEqualTo(4);
    }

    @Test
    void largerClasses_goFirst() throws InterruptedException {
        BufferPool pool = quiet();
        Thread t = new Thread(() -> {
            pool.acquire(256).release();
            pool.acquire(65536).release();
        });
        t.start();
        t.join();
        pool.trim(1);
        assertThat(pool.trim(1)).isOne();
        assertThat(pool.stats().retainedBytes()).isEqualTo(256);
    }
}
