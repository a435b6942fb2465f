package dev.weft.sched;

import dev.weft.Future;
import dev.weft.RuntimeMetrics;
import dev.weft.RuntimeState;
import dev.weft.TaskOptions;
import dev.weft.task.Task;
import java.time.Duration;

/**
 * What {@link dev.weft.AsyncRuntime} delegates to: one implementation per kind of runtime.
 */
public interface RuntimeCore {

    /**
     * Spawns a task.
     *
     * @param options priority, deadline and name
     * @param future  the future
     * @param <T>     the result's type
     * @return the task, which is its own join handle
     * @throws java.util.concurrent.RejectedExecutionException if not RUNNING or the queue is full
     */
    <T> Task<T> spawn(TaskOptions options, Future<T> future);

    /**
     * Drives {@code future} to completion on the calling thread.
     *
     * @param future the future
     * @param <T>    the result's type
     * @return its result
     */
    <T> T blockOn(Future<T> future);

    /**
     * Runs ready tasks until none is ready; current-thread runtimes only.
     *
     * @return the number of polls made
     */
    int runUntilStalled();

    /**
     * Shuts down; see {@link dev.weft.AsyncRuntime#shutdown(Duration)}.
     *
     * @param timeout the grace period
     * @return true if every task ended on its own
     */
    boolean shutdown(Duration timeout);

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
}
