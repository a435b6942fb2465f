package dev.weft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A worker parked for lack of work, from its park to its wake: a duration event, recorded from
 * 10 ms by default (a recording may lower the threshold).
 */
@Name("dev.weft.WorkerPark")
@Label("Worker Park")
@Category("Weft")
@Description("A worker with nothing to run, parked until woken")
@StackTrace(false)
@Threshold("10 ms")
public final class WorkerParkEvent extends Event {

    @Label("Runtime")
    String runtime;

    @Label("Worker")
    int worker;

    /**
     * Starts timing a park if a recording enabled the event.
     *
     * @param runtime the runtime's thread name prefix
     * @param worker  the parking worker's index
     * @return the event to give {@link #end}, or null if none is recorded
     */
    public static WorkerParkEvent begin(String runtime, int worker) {
        WorkerParkEvent event = new WorkerParkEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.runtime = runtime;
        event.worker = worker;
        event.begin();
        return event;
    }

    /**
     * Ends a park timed by {@link #begin(String, int)}: commits it if it lasted past the threshold.
     *
     * @param event the event, or null if none was begun
     */
    public static void end(WorkerParkEvent event) {
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.commit();
            }
        }
    }
}
