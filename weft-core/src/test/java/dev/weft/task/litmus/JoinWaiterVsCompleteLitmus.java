package dev.weft.task.litmus;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.task.Task;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A join waiter registering while the task completes. Result: (registration accepted, times the
 * waiter was woken). An accepted registration must be woken exactly once.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "registered before completion, woken by it")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "found the task complete")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "found it complete, and woken once spuriously")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost join wakeup")
@Outcome(expect = FORBIDDEN, desc = "woken more than once")
@State
public class JoinWaiterVsCompleteLitmus {

    private final Task<String> task =
            new Task<>(cx -> Poll.ready("done"), LitmusSupport.NORMAL,
                    new LitmusSupport.CountingScheduler());
    private int wakes;
    private final Waker waiter = () -> wakes++;

    @Actor
    public void completer() {
        task.run();
    }

    @Actor
    public void joiner(II_Result r) {
        r.r1 = task.registerWaiter(waiter) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = wakes;
    }
}
