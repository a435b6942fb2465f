package dev.weft;

/**
 * What a runtime hands to {@link Future#poll(Context)}: the means to be polled again.
 */
public interface Context {

    /**
     * Returns the waker of the task being polled. A runtime returns the same waker on every poll
     * of the same task, so storing it is cheap and comparing wakers by identity is meaningful.
     *
     * @return the waker that schedules the polling task again
     */
    Waker waker();
}
