package dev.weft.time.driver.litmus;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Waker;
import dev.weft.time.ManualClock;
import dev.weft.time.driver.TimerEntry;
import dev.weft.time.driver.TimerWheel;
import java.time.Instant;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A poll giving an armed timer a new waker while the wheel fires it (the task moved to another
 * worker, say): the poll either sees the timer fired, or the wheel wakes the new waker. The two
 * sides are Dekker's pattern on the entry's volatile state and waker. Result: (the poll found it
 * still armed, wakes of the old waker, wakes of the new one).
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "new waker set first: the wheel woke it")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "fired first: the poll saw it fired")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE,
        desc = "both saw each other: a spurious wake of the new waker")
@Outcome(id = "1, 1, 0", expect = FORBIDDEN,
        desc = "lost wakeup: the poll waits, but only the old waker was woken")
@Outcome(expect = FORBIDDEN, desc = "not fired, or woken twice")
@State
public class RewakeVsFireLitmus {

    private static final long MS = TimerWheel.TICK_NANOS;

    private final TimerWheel wheel = new TimerWheel(new ManualClock(Instant.EPOCH), () -> { });
    private final TimerEntry entry = new TimerEntry();
    private final Waker[] batch = new Waker[1];
    private int oldWakes;
    private int newWakes;
    private final Waker newWaker = () -> newWakes++;

    public RewakeVsFireLitmus() {
        entry.arm(wheel, MS, () -> oldWakes++);
    }

    @Actor
    public void wheelOwner() {
        // the actor's thread is the wheel's: the other actor polls from elsewhere
        wheel.bindOwner(Thread.currentThread());
        wheel.fireDue(MS, batch);
    }

    @Actor
    public void poller(III_Result r) {
        r.r1 = entry.rewake(newWaker) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r2 = oldWakes;
        r.r3 = newWakes;
    }
}
