package dev.weft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A runtime moved from one lifecycle state to the next; the stack says who moved it. */
@Name("dev.weft.RuntimeState")
@Label("Runtime State Change")
@Category("Weft")
@Description("A runtime's lifecycle state changed")
public final class RuntimeStateEvent extends Event {

    @Label("Runtime")
    String runtime;

    @Label("From")
    String from;

    @Label("To")
    String to;

    /**
     * Commits the event if a recording enabled it; called by the thread that made the change.
     *
     * @param runtime the runtime's thread name prefix
     * @param from    the state before
     * @param to      the state after
     */
    public static void commit(String runtime, String from, String to) {
        RuntimeStateEvent event = new RuntimeStateEvent();
        if (event.shouldCommit()) {
            event.runtime = runtime;
            event.from = from;
            event.to = to;
            event.commit();
        }
    }
}
