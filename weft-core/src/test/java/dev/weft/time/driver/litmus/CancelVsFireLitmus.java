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
 * A timer cancelled (by an abort, on another thread) while its wheel fires it: it is fired or
 * cancelled, never both, never neither, and the wheel counts it out once. Result: (wakes,
 * fired, pending).
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE,
        desc = "fired first: woken once; the cancel did nothing")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "cancelled first: never woken")
@Outcome(expect = FORBIDDEN, desc = "woken after a cancel, woken twice, or counted wrong")
@State
public class CancelVsFireLitmus {

    private static final long MS = TimerWheel.TICK_NANOS;
    /** A thread that never runs: the wheel's owner until the owner actor claims it. */
    private static final Thread NO_ACTOR = new Thread(() -> { }, "no actor");

    private final TimerWheel wheel = new TimerWheel(new ManualClock(Instant.EPOCH), () -> { });
    private final TimerEntry entry = new TimerEntry();
    private final Waker[] batch = new Waker[1];
    private int wakes;

    public CancelVsFireLitmus() {
        entry.arm(wheel, MS, () -> wakes++);
        // The state may be built on the canceller's own thread: the wheel belongs to no actor
        // until the owner actor claims it, so the cancel always comes from elsewhere.
        wheel.bindOwner(NO_ACTOR);
    }

    @Actor
    public void wheelOwner() {
        // the actor's thread is the wheel's: the other actor cancels from elsewhere
        wheel.bindOwner(Thread.currentThread());
        wheel.fireDue(MS, batch);
    }

    @Actor
    public void canceller() {
        entry.cancel();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = wakes;
        r.r2 = entry.hasFired() ? 1 : 0;
        r.r3 = wheel.pending();
    }
}
