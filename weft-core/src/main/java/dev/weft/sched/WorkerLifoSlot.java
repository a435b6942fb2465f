package dev.weft.sched;

import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's LIFO slot, padded on both sides (JCTools' field-padding idiom: HotSpot lays out a
 * superclass's fields before its subclass's); the worker's own fields ({@code WorkerFields}, in
 * Worker.java) come after. Only the owner takes from the slot or fills it; other threads read it
 * now and then (a manual clock asking whether anything is queued, the metrics, the admission of a
 * spawn into a bounded runtime), and without the
 * padding each such read would pull the cache line holding the worker's own hot fields away from
 * it.
 */
@SuppressWarnings("unused")
abstract class WorkerLifoSlot extends WorkerLifoSlotField {
    long q00, q01, q02, q03, q04, q05, q06, q07;
}

/**
 * The slot itself, between the two paddings (fields of one class may be reordered, classes not).
 */
abstract class WorkerLifoSlotField extends WorkerPadBefore {

    private static final VarHandle LIFO;

    static {
        try {
            LIFO = MethodHandles.lookup()
                    .findVarHandle(WorkerLifoSlotField.class, "lifoSlot", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The task to run next, claimed for the owner by the wake that put it here. Only the owner
     * fills it and takes from it, so it needs no atomic operation; its stores are releases so that
     * other threads' reads (hints only) see a task whose fields are set. See
     * Worker.takeClaimed.
     */
    private volatile Task<?> lifoSlot;

    /** The slot, read by the owner, the only thread that writes it. */
    final Task<?> lifoSlotPlain() {
        return (Task<?>) LIFO.get(this);
    }

    /** The slot, read by another thread: a hint of whether the owner has a task to run next. */
    final Task<?> lifoSlotVolatile() {
        return lifoSlot;
    }

    /** Fills or empties the slot; owner only. Pairs with {@link #lifoSlotVolatile()}. */
    final void setLifoSlotRelease(Task<?> task) {
        LIFO.setRelease(this, task);
    }
}

/** The padding before the LIFO slot. */
@SuppressWarnings("unused")
abstract class WorkerPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}
