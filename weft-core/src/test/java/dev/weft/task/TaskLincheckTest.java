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
 * <p>No operation returns a value for Lincheck to check against a sequential order: a
 * {@code runQueued} that finds the queue empty because another one holds the task between its
 * poll and putting it back has no sequential equivalent, so what {@code abort} reports cannot be
 * judged that way (a CI run and 3,000-iteration runs found such a scenario: abort returned true
 * after every signal and poll had ended, the task put back but not yet polled again). What abort
 * reports is checked by {@link #invariants()} instead, with the rest, after each scenario: no
 * overlapping polls, one queue entry per notification, no lost wakeup, nothing scheduled after
 * completion, one release, registered join waiters woken exactly once, and an abort that says it
 * cancelled the task exactly when the task ends cancelled.
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
    private final AtomicInteger abortsThatCancelled = new AtomicInteger();

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
    public void abort() {
        if (task.abort()) {
            abortsThatCancelled.incrementAndGet();
        }
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
        require(abortsThatCancelled.get() <= 1, abortsThatCancelled.get()
                + " aborts said they cancelled the task");
        require(probe.completions.get() <= 1, "the task completed " + probe.completions.get()
                + " times");
        if (abortsThatCancelled.get() == 1) {
            // a poll under way when the abort came may still return ready: the abort wins
            require(task.isDone() && task.isCancelled(),
                    "an abort said it cancelled the task, which is not cancelled");
        } else if (task.isDone()) {
            require(!task.isCancelled() && probe.completions.get() == 1,
                    "done, yet neither completed by a poll nor cancelled by an abort that said so");
        }
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
