package dev.weft.sched;

import dev.weft.AsyncRuntime;

/**
 * Which runtime the current thread is running, for {@link dev.weft.Async#current()} and
 * {@link dev.weft.Async#spawn}. Worker threads ({@link WorkerThread}) answer for themselves;
 * other threads are entered for the duration of a {@code blockOn} (or a drive of a current-thread
 * runtime), and the previous value is restored when they leave.
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
        // A worker's runtime is fixed for the thread's life: no thread-local lookup needed. A check
        // of the final class, not of an interface: see TimerThread on why that matters.
        if (Thread.currentThread() instanceof WorkerThread worker) {
            return worker.runtime();
        }
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
