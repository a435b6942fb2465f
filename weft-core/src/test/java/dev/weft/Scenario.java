package dev.weft;

/**
 * Helpers for the {@code Lincheck.runConcurrentTest} scenarios. Plain checks, not AssertJ:
 * Lincheck's managed strategy calls {@code equals} on the objects it meets, which AssertJ's
 * assertions refuse.
 */
public final class Scenario {

    private Scenario() {
    }

    /**
     * Fails the scenario unless the condition holds.
     *
     * @param condition what must hold
     * @param what      says what went wrong otherwise
     */
    public static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /**
     * Waits for threads to end.
     *
     * @param threads started threads
     */
    public static void join(Thread... threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Starts each action on a thread of its own and waits for all.
     *
     * @param actions what the threads run
     */
    public static void inParallel(Runnable... actions) {
        Thread[] threads = new Thread[actions.length];
        for (int i = 0; i < actions.length; i++) {
            threads[i] = new Thread(actions[i]);
            threads[i].start();
        }
        join(threads);
    }
}
