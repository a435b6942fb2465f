package dev.weft.sched;

import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lifetime counts of the tasks that one thread spawned and ended: a worker's own, written by that
 * worker alone (or counts written only under one lock); or the shared counts of every other
 * thread. See {@link TaskCounters} for how they
 * are summed, and why the sums tell exactly when no task is live.
 *
 * <h2>Memory ordering</h2>
 * An owned instance is written by its owner with release stores of a value it read plainly (no
 * other thread writes it, so no update is lost): a store, and no atomic instruction, on the spawn
 * and completion paths. The shared instance is written with atomic adds, whose full fence is also
 * what orders an outside spawn's count before its read of the runtime's state (see
 * {@code CurrentThreadRuntime.countSpawnOrRefuse}). Readers use volatile loads: an end read that
 * way makes visible everything its thread did before counting it (the release store pairs with it),
 * the spawn counts of the task's children included; and a shutdown's reads stay after its
 * volatile write of the runtime's state, as Dekker's pattern needs.
 */
final class TaskCounts extends TaskCountsFields {

    private static final VarHandle SPAWNED;
    private static final VarHandle REFUSED;
    private static final VarHandle COMPLETED;
    private static final VarHandle FAILED;
    private static final VarHandle CANCELLED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SPAWNED = lookup.findVarHandle(TaskCountsFields.class, "spawned", long.class);
            REFUSED = lookup.findVarHandle(TaskCountsFields.class, "refused", long.class);
            COMPLETED = lookup.findVarHandle(TaskCountsFields.class, "completed", long.class);
            FAILED = lookup.findVarHandle(TaskCountsFields.class, "failed", long.class);
            CANCELLED = lookup.findVarHandle(TaskCountsFields.class, "cancelled", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07;

    /** True for the instance every thread may write; false for a worker's own. */
    private final boolean shared;

    TaskCounts(boolean shared) {
        this.shared = shared;
    }

    /** Counts a spawn, before the task is published to any queue. */
    void spawned() {
        increment(SPAWNED);
    }

    /**
     * Counts a spawn that was counted, then refused: it ends here, never having run. Counted
     * among the ends, so the sums balance; metrics subtract it from the spawns.
     */
    void refused() {
        increment(REFUSED);
    }

    /**
     * Counts a task that ended, by how it ended.
     *
     * @param task a completed task
     */
    void ended(Task<?> task) {
        if (task.isCancelled()) {
            increment(CANCELLED);
        } else if (task.isFailed()) {
            increment(FAILED);
        } else {
            increment(COMPLETED);
        }
    }

    /**
     * Adds one to a counter of this instance, by its memory mode: an atomic add on the shared
     * instance; on an owned one, a plain read and a release store (only its owner writes it).
     * Either pairs with the volatile reads below.
     */
    private void increment(VarHandle counter) {
        if (shared) {
            counter.getAndAdd(this, 1L);
        } else {
            counter.setRelease(this, (long) counter.get(this) + 1);
        }
    }

    long spawnedVolatile() {
        return (long) SPAWNED.getVolatile(this);
    }

    long refusedVolatile() {
        return (long) REFUSED.getVolatile(this);
    }

    long completedVolatile() {
        return (long) COMPLETED.getVolatile(this);
    }

    long failedVolatile() {
        return (long) FAILED.getVolatile(this);
    }

    long cancelledVolatile() {
        return (long) CANCELLED.getVolatile(this);
    }
}

/** The padding before the counters. */
@SuppressWarnings("unused")
abstract class TaskCountsPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise (see PaddingLayoutTest).
    int p08, p09;
}

/**
 * The counters, after padding: a worker writes its counts on every spawn and completion, so they
 * must not share a cache line with what other threads write (a neighbour's counts, a queue index).
 */
abstract class TaskCountsFields extends TaskCountsPadBefore {
    long spawned;
    long refused;
    long completed;
    long failed;
    long cancelled;
}
