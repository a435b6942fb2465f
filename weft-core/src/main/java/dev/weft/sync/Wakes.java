package dev.weft.sync;

import dev.weft.Waker;

/** Wakes for the primitives of this package, after their locks are let go. */
final class Wakes {

    private static final System.Logger LOGGER = System.getLogger(Wakes.class.getName());

    private Wakes() {
    }

    /**
     * Wakes {@code waker} if not null. A waker that throws (a hand-written one; the runtime's do
     * not) is reported and does not keep the other waiters of the same release from being woken.
     *
     * @param waker the waker, or null
     */
    static void wake(Waker waker) {
        if (waker == null) {
            return;
        }
        try {
            waker.wake();
        } catch (Throwable failure) {
            LOGGER.log(System.Logger.Level.ERROR, "a waker threw from wake()", failure);
        }
    }
}
