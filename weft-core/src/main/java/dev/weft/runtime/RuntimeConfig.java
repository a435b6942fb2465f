package dev.weft.runtime;

import dev.weft.buffer.BufferPool;
import dev.weft.time.Clock;
import java.time.Duration;

/**
 * The validated options of a runtime, as the builder collected them.
 *
 * @param workerThreads       worker threads of a multi-thread runtime
 * @param threadNamePrefix    worker thread names are this plus an index
 * @param threadStackSize     stack size of worker threads in bytes, 0 for the JVM default
 * @param maxQueueSize        most tasks queued to run before spawn refuses more
 * @param workStealing        whether idle workers steal
 * @param priorityScheduling  whether ready tasks run by priority
 * @param starvationThreshold longest a ready task waits behind higher priorities
 * @param shutdownTimeout     the timeout {@code close()} gives {@code shutdown}
 * @param maxBlockingThreads  most threads of the pool that runs {@code spawnBlocking} work
 * @param blockingKeepAlive   how long an idle blocking thread waits before it retires
 * @param onWorkerStart       run on each worker thread when it starts, before any task
 * @param onWorkerStop        run on each worker thread when it stops, after its last task
 * @param clock               the clock the timers run on
 * @param buffers             the pool of {@code AsyncRuntime.buffers()}, the caller's; null for
 *                            one the runtime makes on first use and closes at shutdown
 * @param cleanupThreshold    the most buffers an idle thread's cleanup batch frees
 * @param longPollThreshold   how long a poll may hold its thread before it is reported; zero
 *                            for no watch of long polls
 */
public record RuntimeConfig(
        int workerThreads,
        String threadNamePrefix,
        long threadStackSize,
        int maxQueueSize,
        boolean workStealing,
        boolean priorityScheduling,
        Duration starvationThreshold,
        Duration shutdownTimeout,
        int maxBlockingThreads,
        Duration blockingKeepAlive,
        Runnable onWorkerStart,
        Runnable onWorkerStop,
        Clock clock,
        BufferPool buffers,
        int cleanupThreshold,
        Duration longPollThreshold) {

    /**
     * Tells whether spawn must count queued tasks against {@link #maxQueueSize}.
     *
     * @return true if the queue is bounded
     */
    public boolean boundedQueue() {
        return maxQueueSize != Integer.MAX_VALUE;
    }
}
