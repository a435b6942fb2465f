package dev.weft;

import dev.weft.buffer.BufferPool;
import java.time.Duration;
import java.util.List;

/**
 * An immutable snapshot of what a runtime has done, from {@link AsyncRuntime#metrics()}.
 *
 * <p>Task counts are consistent with each other at the moment of the snapshot. A task is counted
 * as ended just after its handle completes, so a thread that has just seen a handle complete may
 * still see it live in a snapshot taken at once. Poll, wake and park counts are published by each
 * worker in batches (at the latest when it parks), so while tasks run they lag by at most one
 * batch of polls.
 *
 * @param state          the lifecycle state
 * @param uptime         time since the runtime was built
 * @param tasksSpawned   tasks accepted by spawn
 * @param tasksCompleted tasks that ended with a value
 * @param tasksFailed    tasks whose future threw
 * @param tasksCancelled tasks aborted, or cancelled by shutdown
 * @param tasksRejected  spawns refused (runtime not running, or queue full)
 * @param liveTasks      tasks spawned and not yet ended
 * @param polls          polls of task futures, all workers together
 * @param wakes          polls that followed a wake (every poll but each task's first)
 * @param workers        per-worker figures; a current-thread runtime has one
 * @param priorities     per-priority figures, one per {@link Priority} in declaration order
 * @param timers         the timers' figures
 * @param io             the I/O driver's figures
 * @param buffers        the figures of the runtime's buffer pool ({@link AsyncRuntime#buffers()}):
 *                       bytes allocated, retained and at their peak, buffers in use, hits and
 *                       misses per size class
 * @param globalQueueDepth tasks waiting in the global queue now (spawned or woken from outside
 *                       the workers, or overflowed from a full local queue), a racy read; 0 on
 *                       a current-thread runtime, which has none (its run queue is its one
 *                       worker's {@code queueDepth})
 * @param longPolls      polls the long-poll watch reported (see
 *                       {@code Builder.longPollThreshold})
 * @param gcCount        collections of the JVM's garbage collectors since it started, all of
 *                       them together (the JVM's, not only this runtime's)
 * @param gcTime         the time those collections took, as the collectors' MXBeans report it
 */
public record RuntimeMetrics(
        RuntimeState state,
        Duration uptime,
        long tasksSpawned,
        long tasksCompleted,
        long tasksFailed,
        long tasksCancelled,
        long tasksRejected,
        long liveTasks,
        long polls,
        long wakes,
        List<WorkerMetrics> workers,
        List<PriorityMetrics> priorities,
        TimerMetrics timers,
        IoMetrics io,
        BufferPool.Stats buffers,
        long globalQueueDepth,
        long longPolls,
        long gcCount,
        Duration gcTime) {

    /**
     * Copies the worker list, so the snapshot stays immutable.
     *
     * @param state          the lifecycle state
     * @param uptime         time since the runtime was built
     * @param tasksSpawned   tasks accepted by spawn
     * @param tasksCompleted tasks that ended with a value
     * @param tasksFailed    tasks whose future threw
     * @param tasksCancelled tasks aborted, or cancelled by shutdown
     * @param tasksRejected  spawns refused
     * @param liveTasks      tasks spawned and not yet ended
     * @param polls          polls of task futures
     * @param wakes          polls that followed a wake
     * @param workers        per-worker figures
     * @param priorities     per-priority figures, one per priority in declaration order
     * @param timers         the timers' figures
     * @param io             the I/O driver's figures
     * @param buffers        the runtime's buffer pool's figures
     * @param globalQueueDepth tasks in the global queue now
     * @param longPolls      polls reported long
     * @param gcCount        the JVM's collections so far
     * @param gcTime         the time they took
     */
    public RuntimeMetrics {
        workers = List.copyOf(workers);
        priorities = List.copyOf(priorities);
    }

    /**
     * Returns the figures of one priority.
     *
     * @param priority the priority
     * @return its figures
     */
    public PriorityMetrics priority(Priority priority) {
        return priorities.get(java.util.Objects.requireNonNull(priority, "priority").ordinal());
    }

    /**
     * Sums a figure over the workers.
     *
     * @param figure the figure, such as {@code WorkerMetrics::tasksStolen}
     * @return the total
     */
    public long total(java.util.function.ToLongFunction<WorkerMetrics> figure) {
        long sum = 0;
        for (WorkerMetrics w : workers) {
            sum += figure.applyAsLong(w);
        }
        return sum;
    }

    /**
     * The sampled poll durations of all workers together.
     *
     * @return their histogram
     */
    public Histogram pollTimes() {
        return Histogram.sum(workers.stream().map(WorkerMetrics::pollTimes).toList());
    }

    /**
     * The rates of the window between {@code earlier} and this snapshot, both of the same
     * runtime: what the seed's tuner looks at (throughput, utilization, poll times, GC pressure).
     *
     * @param earlier a snapshot of the same runtime, taken before this one
     * @return the window's figures
     * @throws IllegalArgumentException if {@code earlier} was not taken before this one, or has
     *                                  another number of workers
     */
    public Window since(RuntimeMetrics earlier) {
        java.util.Objects.requireNonNull(earlier, "earlier");
        Duration elapsed = uptime.minus(earlier.uptime);
        if (elapsed.isNegative() || workers.size() != earlier.workers.size()) {
            throw new IllegalArgumentException("earlier must be a snapshot of the same runtime "
                    + "taken before this one; its uptime is " + earlier.uptime + " against "
                    + uptime + ", its workers " + earlier.workers.size() + " against "
                    + workers.size());
        }
        double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
        long ended = tasksCompleted + tasksFailed + tasksCancelled
                - (earlier.tasksCompleted + earlier.tasksFailed + earlier.tasksCancelled);
        long windowPolls = polls - earlier.polls;
        List<Double> utilization = new java.util.ArrayList<>();
        long busy = 0;
        double utilized = 0;
        for (int i = 0; i < workers.size(); i++) {
            long b = workers.get(i).busyTime.minus(earlier.workers.get(i).busyTime).toNanos();
            busy += b;
            // A worker publishes its busy time in batches: one may count a little past the
            // window's end, never more than all of it.
            double u = Math.min(1.0, b / (seconds * 1e9));
            utilization.add(u);
            utilized += u;
        }
        return new Window(elapsed, ended / seconds, windowPolls / seconds,
                workers.isEmpty() ? 0 : utilized / workers.size(),
                utilization,
                windowPolls == 0 ? Duration.ZERO : Duration.ofNanos(busy / windowPolls),
                pollTimes().minus(earlier.pollTimes()),
                Math.min(1.0, gcTime.minus(earlier.gcTime).toNanos() / (seconds * 1e9)));
    }

    /**
     * What a runtime did between two snapshots ({@link RuntimeMetrics#since}).
     *
     * @param elapsed            the window's length
     * @param tasksPerSecond     tasks that ended (with a value, failed or cancelled) per second
     * @param pollsPerSecond     polls per second
     * @param utilization        the workers' busy time over their wall time, their mean: 0 to 1.
     *                           Each worker publishes its busy time when it parks and every 64
     *                           polls, so a worker inside one long poll shows idle until it
     *                           returns
     * @param workerUtilization  the same per worker, in index order
     * @param meanPollTime       busy time per poll: the polls and the scheduling between them
     * @param pollTimes          the sampled poll durations of the window
     * @param gcPressure         the JVM's collection time over the window's length, 0 to 1: the
     *                           time its collectors' MXBeans report, summed (for G1 and Parallel
     *                           the pauses; for ZGC and Shenandoah their concurrent cycles too)
     */
    public record Window(Duration elapsed, double tasksPerSecond, double pollsPerSecond,
            double utilization, List<Double> workerUtilization, Duration meanPollTime,
            Histogram pollTimes, double gcPressure) {

        /**
         * Copies the per-worker list, so the window stays immutable.
         *
         * @param elapsed            the window's length
         * @param tasksPerSecond     tasks ended per second
         * @param pollsPerSecond     polls per second
         * @param utilization        busy over wall time, all workers
         * @param workerUtilization  the same per worker
         * @param meanPollTime       busy time per poll
         * @param pollTimes          the sampled poll durations of the window
         * @param gcPressure         collection time over the window's length
         */
        public Window {
            workerUtilization = List.copyOf(workerUtilization);
        }
    }

    /**
     * One worker's figures: what it ran, where it found it, what it stole. A steal moves up to
     * half of a victim's queue into the thief's own queue, and a take from the global queue moves
     * a batch: those tasks count as stolen (or injected) when moved, and as local executions when
     * the worker later takes them from its own queue.
     *
     * @param index              the worker's index
     * @param threadName         the name of the thread that ran it last, or empty if none has yet
     * @param polls              polls of task futures on this worker
     * @param wakes              polls that followed a wake
     * @param localExecutions    tasks taken from its own run queue or LIFO slot to run
     * @param injectedExecutions tasks taken from the global (injection) queue to run at once
     * @param stealAttempts      attempts to steal from another worker
     * @param successfulSteals   attempts that got at least one task
     * @param tasksStolen        tasks moved from other workers by stealing
     * @param parks              times the worker parked for lack of work
     * @param busyTime           time spent running tasks (between parks)
     * @param queueDepth         tasks in its run queue when last published
     * @param selects            selects it made on the I/O driver: instead of parking, and
     *                           without waiting while busy
     * @param readinessEvents    channels those selects reported ready
     * @param selectWakeups      selects of its that a wake ended (work for it, or a timer's
     *                           move), rather than readiness or their timeout
     * @param pollTimes          how long its polls took: one poll in 64 is timed, on the
     *                           runtime's clock
     */
    public record WorkerMetrics(
            int index,
            String threadName,
            long polls,
            long wakes,
            long localExecutions,
            long injectedExecutions,
            long stealAttempts,
            long successfulSteals,
            long tasksStolen,
            long parks,
            Duration busyTime,
            int queueDepth,
            long selects,
            long readinessEvents,
            long selectWakeups,
            Histogram pollTimes) {
    }

    /**
     * What happened to the tasks of one priority. Counts of started tasks are published with the
     * workers' other counters, in batches.
     *
     * @param priority             the priority
     * @param queued               tasks of this priority waiting in run queues now (an estimate
     *                             made of racy reads); -1 when priority scheduling is off, since
     *                             the FIFO queues then keep no priorities apart. On a
     *                             current-thread runtime, a task spawned from another thread (or
     *                             before the runtime is first driven) waits in an inbox until the
     *                             driving thread's next batch, and is counted from then on
     * @param started              tasks of this priority polled for the first time
     * @param startedAfterDeadline of those, tasks with a deadline that had passed when their
     *                             first poll began
     */
    public record PriorityMetrics(Priority priority, long queued, long started,
            long startedAfterDeadline) {
    }

    /**
     * The runtime's timers (sleeps, timeouts, interval ticks), all timing wheels together.
     *
     * @param pending   timers armed now: each is a sleep, a timeout or a tick that has been
     *                  polled and is waiting for its deadline; back to 0 once none is (a timer
     *                  leaves at once when it fires, its future completes, or its task ends)
     * @param fired     timers that reached their deadline and woke their task
     * @param cancelled timers removed before their deadline: a timeout whose future completed
     *                  in time, a sleep whose task ended or was aborted
     */
    public record TimerMetrics(long pending, long fired, long cancelled) {
    }

    /**
     * The runtime's I/O driver (the sockets of {@code dev.weft.net}), all threads together; the
     * workers' own figures are in {@link WorkerMetrics}.
     *
     * @param sockets         sockets registered now: opened on this runtime and not closed
     * @param selects         selects made, waiting or not
     * @param readinessEvents channels the selects reported ready
     * @param selectWakeups   selects that a wake ended
     */
    public record IoMetrics(long sockets, long selects, long readinessEvents, long selectWakeups) {
    }
}
