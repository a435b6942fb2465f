package dev.weft.sched.litmus;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.sched.LocalQueueProbe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The owner popping the last task while a thief steals it: exactly one of them gets it.
 * Result: (owner got it, thief got it).
 */
@JCStressTest
@Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "one of them took the task")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "the task was taken twice")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the task was lost")
@State
public class PopVsStealLitmus {

    private final LocalQueueProbe probe = LocalQueueProbe.withOneTask();

    @Actor
    public void owner(II_Result r) {
        r.r1 = probe.ownerPop() ? 1 : 0;
    }

    @Actor
    public void thief(II_Result r) {
        r.r2 = probe.steal() ? 1 : 0;
    }
}
