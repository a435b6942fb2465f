package dev.weft;

import dev.weft.buffer.BufferPool;
import dev.weft.buffer.PooledBuffer;
import java.util.ArrayList;
import java.util.List;

/** Free buffers left where a pool finds them only later: in the caches of threads that ended. */
public final class EndedThreads {

    private EndedThreads() {
    }

    /**
     * Runs a thread that acquires {@code n} buffers of {@code size} bytes, releases them all
     * (into its own cache), and ends; returns once it ended.
     *
     * @param pool the pool
     * @param n    how many buffers
     * @param size their size
     * @throws InterruptedException if interrupted while waiting for the thread
     */
    public static void leaveInACache(BufferPool pool, int n, int size)
            throws InterruptedException {
        Thread t = new Thread(() -> {
            List<PooledBuffer> held = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                held.add(pool.acquire(size));
            }
            held.forEach(PooledBuffer::release);
        });
        t.start();
        t.join();
    }
}
