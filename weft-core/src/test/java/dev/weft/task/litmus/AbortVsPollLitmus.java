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
 * An abort racing the poll that would complete the task. Result: (abort() returned true, the task
 * ended cancelled). abort() must tell the truth: true exactly when the task ends cancelled.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "aborted before or during the poll: cancelled")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "completed first: the abort had nothing to do")
@Outcome(expect = FORBIDDEN, desc = "abort() disagrees with the outcome")
@State
public class AbortVsPollLitmus {

    private final Task<String> task =
            new Task<>(cx -> Poll.ready("done"), LitmusSupport.NORMAL,
                    new LitmusSupport.CountingScheduler());

    @Actor
    public void poller() {
        task.run();
    }

    @Actor
    public void aborter(II_Result r) {
        r.r1 = task.abort() ? 1 : 0;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = task.isCancelled() ? 1 : 0;
    }
}
