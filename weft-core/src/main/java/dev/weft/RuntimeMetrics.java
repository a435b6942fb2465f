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
        BufferPool.Stats buffers) {

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
            long selectWakeups) {
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
