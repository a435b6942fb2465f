package dev.weft.time.driver;

import dev.weft.time.ManualClock;

/**
 * The runtime's hooks into a {@link ManualClock}, kept out of its public surface (the JDK's
 * "shared secrets" idiom): the clock installs them when its class is initialized, which comes
 * before any clock exists, so whoever holds a clock finds them installed.
 */
public final class ManualClocks {

    /** What the runtime may do to a manual clock that its users may not. */
    public interface Access {

        /**
         * Registers an action run after each move of the clock (and each switch of auto-advance),
         * on the thread that moved it.
         *
         * @param clock    the clock
         * @param listener the action
         */
        void addListener(ManualClock clock, Runnable listener);

        /**
         * Removes an action added by {@link #addListener}.
         *
         * @param clock    the clock
         * @param listener the action
         */
        void removeListener(ManualClock clock, Runnable listener);

        /**
         * Moves the clock to {@code nanoTime}, unless it is there or beyond already; then runs the
         * listeners.
         *
         * @param clock    the clock
         * @param nanoTime the target, on the clock's {@link ManualClock#nanoTime()} scale
         * @return true if the clock moved
         */
        boolean advanceTo(ManualClock clock, long nanoTime);
    }

    /** Written once, by ManualClock's static initializer; volatile for readers on other threads. */
    private static volatile Access access;

    private ManualClocks() {
    }

    /**
     * Installs the hooks; ManualClock's static initializer calls it, once.
     *
     * @param hooks the hooks
     * @throws IllegalStateException if installed already
     */
    public static synchronized void install(Access hooks) {
        if (access != null) {
            throw new IllegalStateException("ManualClock's hooks are installed already");
        }
        access = hooks;
    }

    /**
     * The hooks; installed, since the caller holds a ManualClock.
     *
     * @return the hooks
     */
    public static Access access() {
        return access;
    }
}
