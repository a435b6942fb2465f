package dev.weft.sched;

import dev.weft.task.Task;
import dev.weft.time.driver.TimerScope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's LIFO slot, padded on both sides (JCTools' field-padding idiom: HotSpot lays out a
 * superclass's fields before its subclass's). Idle workers read the slots of busy ones while
 * searching; without the padding each such read would pull the cache line holding the busy
 * worker's own hot counters away from it.
 */
@SuppressWarnings("unused")
abstract class WorkerLifoSlot extends WorkerLifoSlotField {
    long q00, q01, q02, q03, q04, q05, q06, q07;
}

/**
 * A worker's own fields, after the LIFO slot's padding; {@link Worker} pads after them. Everything
 * but the final fields is owned by the worker's thread.
 */
abstract class WorkerFields extends WorkerLifoSlot {

    final int index;
    final MultiThreadRuntime runtime;
    /** Whether tasks are ordered by rank (priority scheduling) or FIFO. */
    final boolean byPriority;
    /** The local run queues: one per priority level, or a single one without priority scheduling. */
    final LocalQueue[] queues;
    /** The single queue without priority scheduling; the CRITICAL one with it. */
    final LocalQueue queue;
    final ThreadParker parker = new ThreadParker();
    final WorkerStats stats = new WorkerStats();
    /** The counts of tasks spawned and ended on this worker's thread; written by it alone. */
    final TaskCounts counts;
    /** The starvation threshold, in nanoseconds. */
    final long thresholdNanos;
    /** This worker's timing wheel, and the task whose poll arms timers in it. */
    final TimerScope timerScope;

    int ticksToGlobal = Worker.GLOBAL_QUEUE_INTERVAL;
    boolean searching;
    /** xorshift32 state; never 0. */
    int random;
    /**
     * With priority scheduling, bit {@code 2 * level + 1} (the rank of that level's tasks without
     * a deadline) is set while {@code queues[level]} may hold tasks. Only this thread pushes, so a
     * clear bit is exact; a set bit may be stale once thieves emptied the queue, and is cleared
     * when a pop finds it empty.
     */
    int localRanks;
    /** A recent {@link System#nanoTime()} reading that stamps queued tasks; see Worker. */
    long clock = System.nanoTime();
    /** Whether the last pick took a starved task: the next one does not; see Worker. */
    boolean servedStarved;
    /** Ticks left until the next look at the timing wheel while busy; see Worker. */
    int ticksToTimers = Worker.TIMER_INTERVAL;
    /** Set while this worker fires its timers: the tasks they wake go to the back of its queue. */
    boolean firingTimers;

    WorkerFields(MultiThreadRuntime runtime, int index, TaskCounts counts, int random) {
        this.runtime = runtime;
        this.index = index;
        this.counts = counts;
        this.random = random;
        this.byPriority = runtime.byPriority;
        this.thresholdNanos = runtime.starvationThresholdNanos;
        this.queues = new LocalQueue[byPriority ? Rank.LEVELS : 1];
        for (int level = 0; level < queues.length; level++) {
            queues[level] = new LocalQueue();
        }
        this.queue = queues[0];
        this.timerScope = new TimerScope(runtime.timers, parker::unpark, true);
    }
}

/** The slot itself, between the two paddings (fields of one class may be reordered, classes not). */
abstract class WorkerLifoSlotField extends WorkerPadBefore {

    static final VarHandle LIFO;

    static {
        try {
            LIFO = MethodHandles.lookup().findVarHandle(WorkerLifoSlotField.class, "lifoSlot", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The task to run next. The owner fills it (a release store when empty, an exchange
     * otherwise); the owner and idle workers take from it with exchanges. See Worker.scheduleLocal.
     */
    volatile Task<?> lifoSlot;
}

/** The padding before the LIFO slot. */
@SuppressWarnings("unused")
abstract class WorkerPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}
