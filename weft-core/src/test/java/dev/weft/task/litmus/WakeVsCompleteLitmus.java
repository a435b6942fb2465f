package dev.weft.task.litmus;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Poll;
import dev.weft.task.Task;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Invariant 3 at its smallest: a wake racing the poll that completes the task never schedules
 * it: before the claim the task is already notified, during the poll the poller owns it, after
 * completion the word is frozen. Result: (run() result, schedules).
 */
@JCStressTest
@Outcome(id = "3, 0", expect = ACCEPTABLE, desc = "completed; the wake scheduled nothing")
@Outcome(expect = FORBIDDEN, desc = "a wake scheduled a task that was queued, running or complete")
@State
public class WakeVsCompleteLitmus {

    private final LitmusSupport.CountingScheduler scheduler = new LitmusSupport.CountingScheduler();
    private final Task<String> task =
            new Task<>(cx -> Poll.ready("done"), LitmusSupport.NORMAL, scheduler);

    @Actor
    public void poller(II_Result r) {
        r.r1 = task.run();
    }

    @Actor
    public void waker() {
        task.wake();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = scheduler.schedules;
    }
}
