package dev.weft.sched.litmus;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.sched.DrainedCheckProbe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A worker ending the last live task (a plain release store to its own counts) while a shutdown
 * begins: Dekker's pattern, with the worker's full fence before parking on one side and the
 * state's CAS on the other. At least one must see the runtime drained, or nobody terminates it.
 * Result: (the worker saw it drained, the shutdown saw it drained).
 */
@JCStressTest
@Outcome(id = {"true, false", "false, true", "true, true"}, expect = ACCEPTABLE,
        desc = "the drain is noticed")
@Outcome(id = "false, false", expect = FORBIDDEN,
        desc = "nobody noticed the drain: the runtime never terminates")
@State
public class DrainedCheckLitmus {

    private final DrainedCheckProbe probe = new DrainedCheckProbe();

    @Actor
    public void worker(ZZ_Result r) {
        r.r1 = probe.workerEndsTaskThenChecks();
    }

    @Actor
    public void shutdown(ZZ_Result r) {
        r.r2 = probe.shutdownBeginsThenChecks();
    }
}
