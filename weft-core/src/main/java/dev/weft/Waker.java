package dev.weft;

/**
 * Schedules a task to be polled again.
 *
 * <p>{@link #wake()} may be called from any thread, any number of times. Wakes that arrive before
 * the next poll schedule the task once; a wake that arrives while the task is being polled makes
 * the runtime poll it once more afterwards; a wake after the task completed does nothing.
 */
@FunctionalInterface
public interface Waker {

    /** Schedules the task this waker belongs to. Never blocks. */
    void wake();
}
