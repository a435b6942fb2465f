package dev.weft.sched;

import dev.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's LIFO slot, padded on both sides (JCTools' field-padding idiom: HotSpot lays out a
 * superclass's fields before its subclass's); the worker's own fields ({@code WorkerFields}, in
 * Worker.java) come after. Idle workers read the slots of busy ones while searching; without the
 * padding each such read would pull the cache line holding the busy worker's own hot fields away
 * from it.
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
     * The task to run next. The owner fills it (a release store when empty, an exchange
     * otherwise); the owner and idle workers take from it with exchanges. See Worker.scheduleLocal.
     */
    private volatile Task<?> lifoSlot;

    /** The slot, by a volatile read: a hint of whether an exchange would find a task. */
    final Task<?> lifoSlotVolatile() {
        return lifoSlot;
    }

    /** Fills the slot the owner saw empty (only the owner fills it), with a release store. */
    final void setLifoSlotRelease(Task<?> task) {
        LIFO.setRelease(this, task);
    }

    /** Exchanges the slot's task, atomically, for {@code task} (null to take it). */
    final Task<?> getAndSetLifoSlot(Task<?> task) {
        return (Task<?>) LIFO.getAndSet(this, task);
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
