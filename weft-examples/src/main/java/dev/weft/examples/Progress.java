package dev.weft.examples;

import dev.weft.AsyncRuntime;
import dev.weft.RuntimeMetrics;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line every quarter second, from a thread of its own, reading the runtime's
 * metrics as any monitoring thread could while the runtime works.
 */
final class Progress {

    private static final long PERIOD_MS = 250;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    Progress(AsyncRuntime runtime, long expectedTasks, PrintStream out) {
        long start = System.nanoTime();
        thread = new Thread(() -> {
            try {
                while (!stop.await(PERIOD_MS, TimeUnit.MILLISECONDS)) {
                    out.println(line(runtime.metrics(), expectedTasks, System.nanoTime() - start));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tour-progress");
        thread.setDaemon(true);
        thread.start();
    }

    static String line(RuntimeMetrics m, long expected, long elapsedNanos) {
        long ended = m.tasksCompleted() + m.tasksFailed() + m.tasksCancelled();
        int width = 24;
        int filled = (int) Math.min(width, ended * width / Math.max(1, expected));
        return String.format(
                "   [%5.2f s] %s%s %,7d / %,d tasks ended   polls %,9d   wakes %,9d   live %,6d",
                elapsedNanos / 1e9, "#".repeat(filled), ".".repeat(width - filled), ended, expected,
                m.polls(), m.wakes(), m.liveTasks());
    }

    /** Stops printing; returns once the progress thread is gone. Idempotent. */
    void stop() {
        stop.countDown();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
