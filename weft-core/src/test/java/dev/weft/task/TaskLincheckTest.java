package dev.weft.task;

import dev.weft.Priority;
import dev.weft.TaskOptions;
import dev.weft.Waker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The task state machine under Lincheck: concurrent wake, poll (by whoever takes the queue
 * entry), abort and join-waiter registration, in stress and model-checking modes.
 *
 * <p>Scenarios have a parallel part only: random actors before it would mostly abort the task
 * and leave nothing to race.
 *
 * <p>Every operation but {@code abort} returns nothing, so linearizability only constrains what
 * abort can report; the invariants are checked after each scenario by {@link #invariants()}:
 * no overlapping polls, one queue entry per notification, no lost wakeup, nothing scheduled after
 * completion, one release, registered join waiters woken exactly once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class TaskLincheckTest {

    private final RecordingScheduler scheduler = new RecordingScheduler();
    /** Completes after three tokens, so scenarios reach completion only sometimes. */
    private final ProbeFuture probe = new ProbeFuture(3);
    private final Task<Integer> task =
            new Task<>(probe, TaskOptions.priority(Priority.NORMAL), scheduler);
    private final AtomicInteger joinWakes = new AtomicInteger();
    private final Waker joinWaker = joinWakes::incrementAndGet;
    private volatile boolean joinRegistered;

    public TaskLincheckTest() {
        scheduler.queue.add(task); // as spawn does: a new task is notified and queued once
    }

    @Operation
    public void signal() {
        probe.signal(task);
    }

    @Operation
    public void runQueued() {
        Task<?> t = scheduler.queue.poll();
        if (t != null && t.run() == Task.RESCHEDULE) {
            scheduler.queue.add(t);
        }
    }

    @Operation
    public boolean abort() {
        return task.abort();
    }

    @Operation
    public void awaitJoin() {
        if (task.registerWaiter(joinWaker)) {
            joinRegistered = true;
        }
    }

    @Validate
    public void invariants() {
        scheduler.drain();
        require(probe.violation == null, probe.violation);
        require(scheduler.violation == null, scheduler.violation);
        if (task.isDone()) {
            require(scheduler.releases.get() == 1, "a completed task must be released once");
            int schedules = scheduler.schedules.get();
            task.wake();
            require(scheduler.schedules.get() == schedules && scheduler.queue.isEmpty(),
                    "a wake after completion scheduled the task");
            if (joinRegistered) {
                require(joinWakes.get() == 1,
                        "a registered join waiter was woken " + joinWakes.get() + " times");
            }
        } else {
            require(probe.consumed.get() == probe.produced.get(),
                    "lost wakeup: " + probe.produced.get()
                    + " tokens signalled but the last poll saw " + probe.consumed.get());
            require(scheduler.releases.get() == 0, "a live task was released");
        }
        require(joinWakes.get() <= 1, "a join waiter was woken " + joinWakes.get() + " times");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .actorsBefore(0)
                .actorsAfter(0)
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .check(TaskLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions()
                .actorsBefore(0)
                .actorsAfter(0)
                .iterations(20)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .check(TaskLincheckTest.class);
    }
}
