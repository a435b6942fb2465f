package dev.weft.runtime;

import dev.weft.AsyncCloseable;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.RuntimeMetrics;
import dev.weft.RuntimeState;
import dev.weft.TaskOptions;
import dev.weft.buffer.BufferPool;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * A runtime, as the public facade ({@code dev.weft.AsyncRuntime}) and the helpers of
 * {@code dev.weft.Async} see it: the one seam between the public API and a scheduler. Each kind of
 * runtime implements it (see {@code dev.weft.sched}); the facade adds argument checks and
 * nothing else, and no implementation knows the facade.
 *
 * <p>Every method may be called from any thread unless it says otherwise; the contracts are the
 * facade's, documented there.
 */
public interface RuntimeCore {

    /**
     * Spawns a task.
     *
     * @param options priority, deadline and name
     * @param future  the task's future
     * @param <T>     its result type
     * @return the task's handle
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is not RUNNING or its
     *                                                         queue is full
     */
    <T> JoinHandle<T> spawn(TaskOptions options, Future<T> future);

    /**
     * Runs blocking work on the runtime's pool of blocking threads.
     *
     * @param callable the work
     * @param <T>      its result type
     * @return the handle of a task that completes with its result
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is not RUNNING
     */
    <T> JoinHandle<T> spawnBlocking(Callable<T> callable);

    /**
     * Drives {@code future} to completion on the calling thread.
     *
     * @param future the future
     * @param <T>    its result type
     * @return its result
     */
    <T> T blockOn(Future<T> future);

    /**
     * Runs ready tasks on the calling thread until none is ready; current-thread runtimes only.
     *
     * @return the number of polls made
     */
    int runUntilStalled();

    /**
     * Returns the {@link ExecutorService} view of the runtime.
     *
     * @return the view, the same object on every call
     */
    ExecutorService executorService();

    /**
     * Returns the lifecycle state.
     *
     * @return the state
     */
    RuntimeState state();

    /**
     * Returns a snapshot of the metrics.
     *
     * @return the snapshot
     */
    RuntimeMetrics metrics();

    /**
     * Returns the runtime's buffer pool: the one its builder was given, or one it makes on the
     * first call (closed, if the runtime has closed its resources already).
     *
     * @return the pool
     */
    BufferPool buffers();

    /**
     * Registers a resource to close at shutdown, after the tasks, newest first.
     *
     * @param resource the resource
     * @throws java.util.concurrent.RejectedExecutionException if the runtime closed its resources
     */
    void register(AsyncCloseable resource);

    /**
     * Shuts the runtime down, waiting up to {@code timeout} for live tasks.
     *
     * @param timeout the grace period, zero or more
     * @return true if every task ended on its own
     */
    boolean shutdown(Duration timeout);

    /**
     * Returns the options the runtime was built with.
     *
     * @return the options
     */
    RuntimeConfig config();

    /**
     * Names the kind of runtime for messages, such as {@code "multi-thread, 4 workers"}.
     *
     * @return the description
     */
    String kind();
}
