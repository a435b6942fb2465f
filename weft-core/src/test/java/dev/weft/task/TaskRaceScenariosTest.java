package dev.weft.task;

import static dev.weft.Scenario.check;
import static dev.weft.Scenario.inParallel;

import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.TaskOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole-task race scenarios, model-checked by {@code Lincheck.runConcurrentTest} in the style of
 * Tokio's loom suite: each explores a few hundred interleavings of the threads it starts, and
 * checks invariants 1 to 3 at the end of each. (Plain checks, not AssertJ: Lincheck's managed
 * strategy calls {@code equals} on the objects it meets, which AssertJ's assertions refuse.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskRaceScenariosTest {

    private static final int INTERLEAVINGS = 300;
    private static final TaskOptions NORMAL = TaskOptions.priority(Priority.NORMAL);

    private static void runQueued(RecordingScheduler scheduler) {
        Task<?> t = scheduler.queue.poll();
        if (t != null && t.run() == Task.RESCHEDULE) {
            scheduler.queue.add(t);
        }
    }

    @Test
    void wake_racingPoll_isNeverLost() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            RecordingScheduler scheduler = new RecordingScheduler();
            ProbeFuture probe = new ProbeFuture(0);
            Task<Integer> task = new Task<>(probe, NORMAL, scheduler);
            scheduler.queue.add(task);
            inParallel(() -> runQueued(scheduler), () -> probe.signal(task),
                    () -> probe.signal(task));
            scheduler.drain();
            check(probe.violation == null, probe.violation);
            check(scheduler.violation == null, scheduler.violation);
            check(probe.consumed.get() == 2,
                    "lost wakeup: the last poll saw " + probe.consumed.get() + " of 2 tokens");
        });
    }

    @Test
    void wake_racingCompletion_neverSchedulesTheTask() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            RecordingScheduler scheduler = new RecordingScheduler();
            Task<String> task = new Task<>(cx -> Poll.ready("done"), NORMAL, scheduler);
            scheduler.queue.add(task);
            inParallel(() -> runQueued(scheduler), task::wake);
            // Queued (notified) when the wake came, running, or complete: no case needs a schedule.
            check(scheduler.schedules.get() == 0, "a wake racing completion scheduled the task");
            check(task.isDone(), "the task did not end");
            check(scheduler.releases.get() == 1, "released " + scheduler.releases.get() + " times");
        });
    }

    @Test
    void abort_racingPoll_endsTheTaskOnceWithTheOutcomeAbortReported() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            RecordingScheduler scheduler = new RecordingScheduler();
            ProbeFuture probe = new ProbeFuture(1);
            Task<Integer> task = new Task<>(probe, NORMAL, scheduler);
            scheduler.queue.add(task);
            AtomicBoolean aborted = new AtomicBoolean();
            probe.produced.set(1); // the first poll completes the task
            inParallel(() -> runQueued(scheduler), () -> aborted.set(task.abort()));
            scheduler.drain();
            check(task.isDone(), "the task did not end");
            check(task.isCancelled() == aborted.get(),
                    "abort() returned " + aborted.get() + " but cancelled=" + task.isCancelled());
            check(probe.polls.get() <= 1, "polled " + probe.polls.get() + " times");
            check(probe.violation == null, probe.violation);
            check(scheduler.violation == null, scheduler.violation);
            check(scheduler.releases.get() == 1, "released " + scheduler.releases.get() + " times");
        });
    }

    @Test
    void joinWaiterRegistration_racingCompletion_isWokenOrSeesTheOutcome() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            RecordingScheduler scheduler = new RecordingScheduler();
            Task<String> task = new Task<>(cx -> Poll.ready("done"), NORMAL, scheduler);
            scheduler.queue.add(task);
            AtomicInteger wakes = new AtomicInteger();
            AtomicBoolean registered = new AtomicBoolean();
            inParallel(() -> runQueued(scheduler),
                    () -> registered.set(task.registerWaiter(wakes::incrementAndGet)));
            check(task.isDone(), "the task did not end");
            if (registered.get()) {
                check(wakes.get() == 1, "a registered waiter was woken " + wakes.get() + " times");
            }
            check(wakes.get() <= 1, "a waiter was woken " + wakes.get() + " times");
        });
    }

    @Test
    void wake_abort_andPoll_allRacing_keepTheInvariants() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            RecordingScheduler scheduler = new RecordingScheduler();
            ProbeFuture probe = new ProbeFuture(0);
            Task<Integer> task = new Task<>(probe, NORMAL, scheduler);
            scheduler.queue.add(task);
            AtomicBoolean aborted = new AtomicBoolean();
            inParallel(() -> runQueued(scheduler), () -> probe.signal(task),
                    () -> aborted.set(task.abort()));
            scheduler.drain();
            check(aborted.get(), "a task that never completes could not be aborted");
            check(task.isCancelled(), "the aborted task did not end cancelled");
            check(probe.violation == null, probe.violation);
            check(scheduler.violation == null, scheduler.violation);
            check(scheduler.releases.get() == 1, "released " + scheduler.releases.get() + " times");
            check(scheduler.queue.isEmpty(), "entries left in the queue after the drain");
        });
    }

    /** A task polled once, pending, and idle: what a wake of a waiting task finds. */
    private static Task<Integer> idleTask(RecordingScheduler scheduler, ProbeFuture probe) {
        Task<Integer> task = new Task<>(probe, NORMAL, scheduler);
        task.run();
        return task;
    }

    /** On its own thread: a wake that claims the task for that thread, then {@code then} there. */
    private static Runnable claimingWake(RecordingScheduler scheduler, ProbeFuture probe,
            Task<?> task, Consumer<RecordingScheduler> then) {
        return () -> {
            scheduler.claimingThread = Thread.currentThread();
            probe.signal(task);
            then.accept(scheduler);
        };
    }

    /**
     * A wake that claims the task for its thread, then {@code thenOnClaimer} on that thread,
     * racing an abort and a plain wake from two others: the task must end cancelled, once, polled
     * by one thread at a time, with no entry left behind.
     */
    private static void claimRacingAbortAndAPlainWake(Consumer<RecordingScheduler> thenOnClaimer) {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            RecordingScheduler scheduler = new RecordingScheduler();
            ProbeFuture probe = new ProbeFuture(0);
            Task<Integer> task = idleTask(scheduler, probe);
            AtomicBoolean aborted = new AtomicBoolean();
            inParallel(claimingWake(scheduler, probe, task, thenOnClaimer),
                    () -> aborted.set(task.abort()), () -> probe.signal(task));
            scheduler.claimingThread = null;
            scheduler.drain();
            check(aborted.get(), "a task that never completes could not be aborted");
            check(task.isCancelled(), "the aborted task did not end cancelled");
            check(probe.violation == null, probe.violation);
            check(scheduler.violation == null, scheduler.violation);
            check(scheduler.releases.get() == 1, "released " + scheduler.releases.get() + " times");
            check(scheduler.claimed.isEmpty(), "a claimed task was left unrun");
            check(scheduler.queue.isEmpty(), "entries left in the queue after the drain");
        });
    }

    @Test
    void claimingWake_racingAbortAndAPlainWake_endsTheTaskOnceCancelled() {
        claimRacingAbortAndAPlainWake(RecordingScheduler::runClaimed);
    }

    @Test
    void unclaim_racingAbortAndAPlainWake_leavesOneEntryThatEndsTheTask() {
        claimRacingAbortAndAPlainWake(RecordingScheduler::unclaimAndQueue);
    }

    @Test
    void claimingWake_racingAPlainWake_losesNoWakeup() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            RecordingScheduler scheduler = new RecordingScheduler();
            ProbeFuture probe = new ProbeFuture(0);
            Task<Integer> task = idleTask(scheduler, probe);
            inParallel(claimingWake(scheduler, probe, task, RecordingScheduler::runClaimed),
                    () -> probe.signal(task));
            scheduler.claimingThread = null;
            scheduler.drain();
            check(probe.violation == null, probe.violation);
            check(scheduler.violation == null, scheduler.violation);
            check(scheduler.claimed.isEmpty(), "a claimed task was left unrun");
            check(probe.consumed.get() == 2,
                    "lost wakeup: the last poll saw " + probe.consumed.get() + " of 2 tokens");
        });
    }
}
