package dev.weft.sched;

import dev.weft.AsyncRuntime;

/**
 * Which runtime the current thread is running, for {@link dev.weft.Async#current()} and
 * {@link dev.weft.Async#spawn}. A runtime enters it on the threads that run its tasks (for the
 * whole life of a worker thread, for the duration of a {@code blockOn}) and restores the previous
 * value when it leaves, so nested runtimes on one thread unwind correctly.
 */
public final class RuntimeContext {

    private static final ThreadLocal<AsyncRuntime> CURRENT = new ThreadLocal<>();

    private RuntimeContext() {
    }

    /**
     * Returns the runtime the current thread is running.
     *
     * @return the runtime, or null outside any runtime
     */
    public static AsyncRuntime current() {
        return CURRENT.get();
    }

    /**
     * Marks the current thread as running {@code runtime}.
     *
     * @param runtime the runtime entered
     * @return the previous value, to pass to {@link #exit}
     */
    public static AsyncRuntime enter(AsyncRuntime runtime) {
        AsyncRuntime previous = CURRENT.get();
        CURRENT.set(runtime);
        return previous;
    }

    /**
     * Restores the value {@link #enter} returned.
     *
     * @param previous the runtime the thread was running before, or null
     */
    public static void exit(AsyncRuntime previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
