package dev.weft;

/**
 * The lifecycle of an {@link AsyncRuntime} (seed section 3.2.4.1.2). A runtime moves through
 * these states in declaration order, one step at a time, and never back.
 */
public enum RuntimeState {
    /** Created, nothing started yet. */
    UNINITIALIZED,
    /** Starting its threads and drivers. */
    INITIALIZING,
    /** Accepting and running tasks. */
    RUNNING,
    /** Refusing new tasks, letting the live ones finish until the shutdown timeout. */
    SHUTTING_DOWN,
    /** Every task has ended and every thread is released. */
    TERMINATED;

    /**
     * Tells whether a runtime in this state may move to {@code next}: only to the state that
     * follows this one.
     *
     * @param next the state to move to
     * @return true if the transition is one of the four the lifecycle allows
     */
    public boolean canTransitionTo(RuntimeState next) {
        return next.ordinal() == ordinal() + 1;
    }
}
