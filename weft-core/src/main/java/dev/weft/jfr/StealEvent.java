package dev.weft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A worker took a batch of tasks from another's queue. */
@Name("dev.weft.Steal")
@Label("Steal")
@Category("Weft")
@Description("A worker took a batch of tasks from another worker's queue")
@StackTrace(false)
public final class StealEvent extends Event {

    @Label("Runtime")
    String runtime;

    @Label("Thief")
    int thief;

    @Label("Victim")
    int victim;

    @Label("Tasks")
    int tasks;

    /**
     * Commits the event if a recording enabled it; called by the thief.
     *
     * @param runtime the runtime's thread name prefix
     * @param thief   the stealing worker's index
     * @param victim  the index of the worker stolen from
     * @param tasks   tasks moved
     */
    public static void commit(String runtime, int thief, int victim, int tasks) {
        StealEvent event = new StealEvent();
        if (event.shouldCommit()) {
            event.runtime = runtime;
            event.thief = thief;
            event.victim = victim;
            event.tasks = tasks;
            event.commit();
        }
    }
}
