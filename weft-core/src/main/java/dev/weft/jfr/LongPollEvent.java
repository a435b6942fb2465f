package dev.weft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A poll that held its thread past the runtime's long-poll threshold; see PollWatch. */
@Name("dev.weft.LongPoll")
@Label("Long Poll")
@Category("Weft")
@Description("A poll of a task that held its thread past the runtime's long-poll threshold")
@StackTrace(false)
public final class LongPollEvent extends Event {

    @Label("Runtime")
    String runtime;

    @Label("Task")
    String task;

    @Label("Poll Time")
    @Description("At least this long: from when the watch first saw the poll to its end")
    @Timespan(Timespan.NANOSECONDS)
    long pollTime;

    /**
     * Commits the event if a recording enabled it; called by the thread that made the poll.
     *
     * @param runtime   the runtime's thread name prefix
     * @param task      the task, as {@code Task.describe()} names it
     * @param pollNanos how long the poll lasted at least
     */
    public static void commit(String runtime, String task, long pollNanos) {
        LongPollEvent event = new LongPollEvent();
        if (event.shouldCommit()) {
            event.runtime = runtime;
            event.task = task;
            event.pollTime = pollNanos;
            event.commit();
        }
    }
}
