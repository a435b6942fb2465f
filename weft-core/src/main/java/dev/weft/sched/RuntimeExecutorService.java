package dev.weft.sched;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.RuntimeState;
import dev.weft.TaskOptions;
import dev.weft.time.driver.Nanos;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link java.util.concurrent.ExecutorService} view of a runtime: each command runs as a task
 * that polls once. Shutting the view down shuts the runtime down, with the executor semantics:
 * {@link #shutdown()} does not block, {@link #shutdownNow()} cancels every live task and returns
 * the commands that never started, {@link #awaitTermination} waits for TERMINATED.
 */
final class RuntimeExecutorService extends AbstractExecutorService {

    private static final TaskOptions OPTIONS =
            TaskOptions.priority(Priority.NORMAL).name("executor-command");

    private final RuntimeBase runtime;

    RuntimeExecutorService(RuntimeBase runtime) {
        this.runtime = runtime;
    }

    @Override
    public void execute(Runnable command) {
        runtime.spawn(OPTIONS, new RunnableFuture(Objects.requireNonNull(command, "command")));
    }

    @Override
    public void shutdown() {
        runtime.beginShutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return runtime.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return runtime.state().compareTo(RuntimeState.SHUTTING_DOWN) >= 0;
    }

    @Override
    public boolean isTerminated() {
        return runtime.state() == RuntimeState.TERMINATED;
    }

    /**
     * Waits for the runtime to terminate: returns true at once if it has, false at once if the
     * timeout is zero or negative (however large in magnitude), and waits without limit if the
     * timeout is too long to count in nanoseconds.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        // TimeUnit.toNanos saturates; Nanos.deadline does not wrap: Long.MIN_VALUE units is "now".
        return runtime.awaitTermination(Nanos.deadline(System.nanoTime(), unit.toNanos(timeout)));
    }

    @Override
    public String toString() {
        return "ExecutorService view of AsyncRuntime[" + runtime.kind() + ", "
                + runtime.state() + "]";
    }

    /**
     * A command as a future: runs it in one poll. As a thread pool does, a failure goes to the
     * thread's uncaught-exception handler (and fails the task), and an interrupt left by a
     * {@code cancel(true)} of a submitted task is cleared, so it does not leak into the next task.
     *
     * @param command the command
     */
    record RunnableFuture(Runnable command) implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            try {
                command.run();
            } catch (Throwable failure) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, failure);
                throw failure;
            } finally {
                Thread.interrupted();
            }
            return Poll.ready(null);
        }
    }
}
