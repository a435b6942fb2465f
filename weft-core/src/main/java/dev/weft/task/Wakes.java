package dev.weft.task;

import dev.weft.Waker;

/**
 * Wakes a waker that may be foreign (hand-written, outside the runtime): one that throws is
 * reported through {@link System.Logger}, not propagated, so it cannot keep the other waiters of
 * the same event from being woken, nor kill the thread that delivers it (a worker, the thread
 * driving the timers or the selector). The runtime's own wakers do not throw.
 */
public final class Wakes {

    private static final System.Logger LOGGER = System.getLogger(Wakes.class.getName());

    private Wakes() {
    }

    /**
     * Wakes {@code waker}, if not null, reporting a failure.
     *
     * @param waker the waker, or null
     * @param when  what woke it, for the report ("when its timer fired")
     */
    public static void wake(Waker waker, String when) {
        if (waker == null) {
            return;
        }
        try {
            waker.wake();
        } catch (Throwable failure) {
            LOGGER.log(System.Logger.Level.ERROR, "a waker threw from wake() " + when, failure);
        }
    }
}
