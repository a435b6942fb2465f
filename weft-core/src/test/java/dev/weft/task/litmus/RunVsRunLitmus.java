package dev.weft.task.litmus;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.task.Task;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Invariant 1 at its smallest: two runners race to run the same queue entry. Exactly one polls
 * (1 IDLE), the other finds it claimed (0 SKIPPED).
 */
@JCStressTest
@Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "one runner polled, the other skipped")
@Outcome(expect = FORBIDDEN, desc = "polled by both, or by neither")
@State
public class RunVsRunLitmus {

    private final Task<Integer> task =
            new Task<>(new LitmusSupport.SignalFuture(), LitmusSupport.NORMAL,
                    new LitmusSupport.CountingScheduler());

    @Actor
    public void first(II_Result r) {
        r.r1 = task.run();
    }

    @Actor
    public void second(II_Result r) {
        r.r2 = task.run();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        // results recorded by the actors
    }
}
