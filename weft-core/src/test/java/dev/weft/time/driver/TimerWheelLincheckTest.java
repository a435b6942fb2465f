package dev.weft.time.driver;

import dev.weft.Waker;
import dev.weft.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timing wheel is linearizable under its real concurrency: the thread that drives it arms
 * and fires (one at a time: the "owner" group), while cancels and reads come from any thread at
 * any moment: a cancel from another thread races the fire by CAS and leaves the unlinking to the
 * owner. A fire returns the ids it woke; an entry is fired or cancelled, never both, never
 * twice. Ticks span levels 0 and 1, so fires cascade. An entry may also be armed to count from
 * the owner's next reading, and wait for it, unplaced, while a cancel races it. (The wheel's counts
 * are racy figures for the metrics, each written separately, so they are not operations here; the
 * conservation tests check them once the threads are done.)
 */
@Param(name = "id", gen = IntGen.class, conf = "0:1")
@Param(name = "tick", gen = IntGen.class, conf = "1:70")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class TimerWheelLincheckTest {

    private static final long MS = TimerWheel.TICK_NANOS;

    /**
     * A thread that never runs, the wheel's owner: so every cancel here takes the path of another
     * thread.
     */
    private static final Thread NO_OPERATION_THREAD = new Thread(() -> { }, "owner");

    private final TimerWheel wheel = new TimerWheel(new ManualClock(Instant.EPOCH), () -> { });

    {
        // the owner group's operations stand for it, one at a time
        wheel.bindOwner(NO_OPERATION_THREAD);
    }
    /** The current entry of each timer; a fresh one replaces an entry that is not free yet. */
    private final TimerEntry[] entries =
            {new TimerEntry(), new TimerEntry(), new TimerEntry(), new TimerEntry()};
    /** Small, so a fire of several entries takes the lock more than once. */
    private final Waker[] batch = new Waker[2];
    /** Written by the wakers during a fire; fires never run in parallel (the owner group). */
    private final List<Integer> woken = new ArrayList<>();

    /**
     * Arms timer {@code id} for {@code tick}; false if it is armed already or the tick is
     * processed.
     */
    @Operation(nonParallelGroup = "owner")
    public boolean arm(@Param(name = "id") int id, @Param(name = "tick") int tick) {
        TimerEntry e = entryToArm(id);
        return e != null && e.arm(wheel, tick * MS, () -> woken.add(id));
    }

    /**
     * Arms timer {@code id} to fire {@code ticks} after the owner's next reading (see
     * ClockReading); false if it is armed already.
     */
    @Operation(nonParallelGroup = "owner")
    public boolean armAtReading(@Param(name = "id") int id, @Param(name = "tick") int ticks) {
        TimerEntry e = entryToArm(id);
        if (e == null) {
            return false;
        }
        e.armAtReading(wheel, ticks * MS, () -> woken.add(id));
        return true;
    }

    /** The owner reads its clock at {@code tick}: the entries armed for that reading are placed. */
    @Operation(nonParallelGroup = "owner")
    public void takeReading(@Param(name = "tick") int tick) {
        wheel.readingTaken(tick * MS);
    }

    /**
     * The entry timer {@code id} may be armed with: null if it is armed already; a fresh one if
     * it was cancelled on another thread and not unlinked yet, as a timer's future then takes
     * (Alarm).
     */
    private TimerEntry entryToArm(int id) {
        TimerEntry e = entries[id];
        if (e.isArmed()) {
            return null;
        }
        if (!e.isFree()) {
            e = entries[id] = new TimerEntry();
        }
        return e;
    }

    /** Fires what is due at {@code tick}; returns the ids woken, sorted. */
    @Operation(nonParallelGroup = "owner")
    public List<Integer> fire(@Param(name = "tick") int tick) {
        woken.clear();
        wheel.fireDue(tick * MS, batch);
        List<Integer> ids = new ArrayList<>(woken);
        Collections.sort(ids);
        return ids;
    }

    /**
     * Cancels timer {@code id}; returns whether it had fired (then the cancel did nothing). The
     * "holder" group: a timer has one holder, so two cancels of it never run at once, and they
     * come from another thread than the owner's (the owner's own cancel is a plain unlink, which
     * TimerWheelTest covers).
     */
    @Operation(nonParallelGroup = "holder")
    public boolean cancel(@Param(name = "id") int id) {
        entries[id].cancel();
        return entries[id].hasFired();
    }

    @Operation
    public boolean isArmed(@Param(name = "id") int id) {
        return entries[id].isArmed();
    }

    /** Once the threads are done, the wheel counts exactly the entries that are armed. */
    @Validate
    public void pendingCountsTheArmedEntries() {
        int armed = 0;
        for (TimerEntry e : entries) {
            armed += e.isArmed() ? 1 : 0;
        }
        if (wheel.pending() != armed) {
            throw new IllegalStateException("the wheel counts " + wheel.pending() + " pending, but "
                    + armed + " are armed");
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(20).invocationsPerIteration(300).threads(3)
                .actorsPerThread(3)
                .actorsBefore(2).actorsAfter(2).check(TimerWheelLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(20).invocationsPerIteration(1_000).threads(3)
                .actorsPerThread(3)
                .actorsBefore(2).actorsAfter(2).check(TimerWheelLincheckTest.class);
    }
}
