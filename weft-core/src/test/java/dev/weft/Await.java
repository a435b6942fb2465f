package dev.weft;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: wait for a condition, fail with a message if it does not come. */
public final class Await {

    public static final Duration BOUND = Duration.ofSeconds(30);

    private Await() {
    }

    /**
     * Waits until {@code condition} holds, checking it with a short backoff, for at most
     * {@link #BOUND}.
     *
     * @param what      names the condition, for the failure
     * @param condition the condition
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        long backoff = 1_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + BOUND + " waiting for: " + what);
            }
            LockSupport.parkNanos(backoff);
            backoff = Math.min(backoff * 2, 1_000_000);
        }
    }

    /**
     * Starts a daemon thread running {@code body}.
     *
     * @param name the thread's name
     * @param body what it runs
     * @return the thread, started
     */
    public static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Joins a thread within {@link #BOUND}.
     *
     * @param t the thread
     */
    public static void join(Thread t) {
        try {
            t.join(BOUND.toMillis());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (t.isAlive()) {
            throw new AssertionError("thread " + t.getName() + " still running after " + BOUND);
        }
    }
}
