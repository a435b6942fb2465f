package dev.weft.task.litmus;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.task.Task;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Invariant 2 at its smallest: a queued task is polled by one thread while another signals it
 * and wakes it. Result: (poll saw the signal, run() result: 1 IDLE / 2 RESCHEDULE, schedules).
 * Whatever the interleaving, some poll must follow the signal: the one in progress saw it, or
 * the poller re-queues, or the waker schedules; and never both.
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE,
        desc = "the wake found the task queued; the poll saw the signal")
@Outcome(id = {"0, 2, 0", "1, 2, 0"}, expect = ACCEPTABLE,
        desc = "the wake landed during the poll: the poller re-queues")
@Outcome(id = {"0, 1, 1", "1, 1, 1"}, expect = ACCEPTABLE,
        desc = "the wake came after the poll: the waker schedules")
@Outcome(id = "0, 1, 0", expect = FORBIDDEN, desc = "lost wakeup: nobody polls after the signal")
@Outcome(expect = FORBIDDEN, desc = "scheduled twice, or a stale run")
@State
public class WakeVsPollLitmus {

    private final LitmusSupport.CountingScheduler scheduler = new LitmusSupport.CountingScheduler();
    private final LitmusSupport.SignalFuture future = new LitmusSupport.SignalFuture();
    private final Task<Integer> task = new Task<>(future, LitmusSupport.NORMAL, scheduler);
    private int runResult;

    @Actor
    public void poller() {
        runResult = task.run();
    }

    @Actor
    public void waker() {
        future.signal = true;
        task.wake();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = future.sawSignal;
        r.r2 = runResult;
        r.r3 = scheduler.schedules;
    }
}
