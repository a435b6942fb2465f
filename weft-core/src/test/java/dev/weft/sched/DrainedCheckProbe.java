package dev.weft.sched;

import dev.weft.RuntimeState;
import dev.weft.task.Task;
import java.lang.invoke.VarHandle;

/**
 * The two sides of the "drained" check, for the litmus test in another package, on the real
 * counts and lifecycle: a worker ends the last live task (a release store to its own counts),
 * later fences and reads the state, as it does before parking; a shutdown moves the state to
 * SHUTTING_DOWN and reads the counts, as {@code beginShutdown} does. Each side reports whether it
 * saw a drained runtime; one of them must.
 */
public final class DrainedCheckProbe {

    private final RuntimeLifecycle lifecycle = new RuntimeLifecycle("test");
    private final TaskCounters counters = new TaskCounters(1);
    private final Task<Integer> task = QueueTasks.task(1);

    /** A running runtime with one live task, spawned on worker 0. */
    public DrainedCheckProbe() {
        lifecycle.transition(RuntimeState.UNINITIALIZED, RuntimeState.INITIALIZING);
        lifecycle.transition(RuntimeState.INITIALIZING, RuntimeState.RUNNING);
        counters.owned(0).spawned();
        task.run(); // completes it, so that its end can be counted
    }

    /**
     * Worker 0 counts the task's end, then checks as it does before parking.
     *
     * @return whether it saw the runtime drained
     */
    public boolean workerEndsTaskThenChecks() {
        counters.owned(0).ended(task);
        VarHandle.fullFence(); // MultiThreadRuntime.wakeOneIfWorkPending's fence
        return seesDrained();
    }

    /**
     * The shutdown moves to SHUTTING_DOWN, then checks as beginShutdown does.
     *
     * @return whether it saw the runtime drained
     */
    public boolean shutdownBeginsThenChecks() {
        lifecycle.tryTransition(RuntimeState.RUNNING, RuntimeState.SHUTTING_DOWN);
        return seesDrained();
    }

    /** RuntimeBase.signalIfDrained's condition. */
    private boolean seesDrained() {
        return lifecycle.state() == RuntimeState.SHUTTING_DOWN && counters.noTaskLive();
    }
}
