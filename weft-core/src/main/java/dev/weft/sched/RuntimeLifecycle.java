package dev.weft.sched;

import dev.weft.RuntimeState;
import dev.weft.jfr.RuntimeStateEvent;
import dev.weft.time.driver.Nanos;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle state machine of seed section 3.2.4.1.2: UNINITIALIZED, INITIALIZING, RUNNING,
 * SHUTTING_DOWN, TERMINATED, each step only to the next. Any other transition is a bug in the
 * caller and throws {@link IllegalStateException} naming both states.
 */
public final class RuntimeLifecycle {

    private final AtomicReference<RuntimeState> state =
            new AtomicReference<>(RuntimeState.UNINITIALIZED);
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Names the runtime in its {@link RuntimeStateEvent}s: its thread name prefix. */
    private final String name;

    /**
     * Creates the lifecycle of a runtime, UNINITIALIZED.
     *
     * @param name the runtime's thread name prefix, for its flight recorder events
     */
    public RuntimeLifecycle(String name) {
        this.name = name;
    }

    /**
     * Returns the current state.
     *
     * @return the state
     */
    public RuntimeState state() {
        return state.get();
    }

    /**
     * Moves from {@code from} to {@code to}.
     *
     * @param from the state the runtime must be in
     * @param to   the next state
     * @throws IllegalStateException if {@code to} does not follow {@code from}, or the runtime is
     *                               not in {@code from}
     */
    public void transition(RuntimeState from, RuntimeState to) {
        if (!tryTransition(from, to)) {
            throw new IllegalStateException("invalid runtime state transition " + from + " -> " + to
                    + ": the runtime is " + state.get());
        }
    }

    /**
     * Moves from {@code from} to {@code to} if the runtime is in {@code from}.
     *
     * @param from the state the runtime should be in
     * @param to   the next state
     * @return false if the runtime was not in {@code from}
     * @throws IllegalStateException if {@code to} does not follow {@code from}
     */
    public boolean tryTransition(RuntimeState from, RuntimeState to) {
        if (!from.canTransitionTo(to)) {
            throw new IllegalStateException("invalid runtime state transition " + from + " -> " + to
                    + ": the lifecycle only allows UNINITIALIZED -> INITIALIZING -> RUNNING -> "
                    + "SHUTTING_DOWN -> TERMINATED");
        }
        if (!state.compareAndSet(from, to)) {
            return false;
        }
        RuntimeStateEvent.commit(name, from.name(), to.name());
        if (to == RuntimeState.TERMINATED) {
            terminated.countDown();
        }
        return true;
    }

    /**
     * Waits until the runtime is TERMINATED, the deadline passes, or the thread is interrupted.
     * Returns at once, without looking at the interrupt status, if the runtime is TERMINATED or
     * the deadline has passed (as {@code ThreadPoolExecutor.awaitTermination} does).
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline, or {@link Nanos#FOREVER}
     * @return true if terminated
     * @throws InterruptedException if interrupted before or while waiting
     */
    public boolean awaitTerminated(long deadlineNanos) throws InterruptedException {
        if (state.get() == RuntimeState.TERMINATED) {
            return true;
        }
        long remaining = Nanos.remaining(deadlineNanos, System.nanoTime());
        if (remaining == 0) {
            return false;
        }
        if (remaining == Nanos.FOREVER) {
            terminated.await();
            return true;
        }
        return terminated.await(remaining, TimeUnit.NANOSECONDS);
    }
}
