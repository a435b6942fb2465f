package dev.weft.time.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.Waker;
import dev.weft.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timing wheel on a manual clock: every level boundary and cascade, deadlines that are never
 * fired early, cancel (on the wheel's thread and from another), batches, and wakers that arm and
 * cancel on the wheel they were fired from.
 */
class TimerWheelTest {

    private static final long MS = TimerWheel.TICK_NANOS;

    private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final AtomicInteger driverWakes = new AtomicInteger();
    /** Created on first use, by the thread that runs the test, which owns it: see wheel. */
    private TimerWheel wheel;
    private final Waker[] batch = new Waker[TimerScope.WAKE_BATCH];
    private final List<Integer> fired = new ArrayList<>();

    /**
     * The wheel, created by the first call. Its owner is the thread that creates it, and each
     * test runs in a thread of its own (see junit-platform.properties), not the one that built
     * this test instance.
     */
    private TimerWheel wheel() {
        if (wheel == null) {
            wheel = new TimerWheel(clock, driverWakes::incrementAndGet);
        }
        return wheel;
    }

    private TimerEntry arm(int id, long deadlineNanos) {
        TimerEntry e = new TimerEntry();
        assertThat(e.arm(wheel(), deadlineNanos, new RecordingWaker(id, fired)))
                .as("armed %d", id).isTrue();
        return e;
    }

    /** Cancels {@code e} from a thread other than the wheel's, as an abort from outside does. */
    private static void cancelOnAnotherThread(TimerEntry e) throws InterruptedException {
        Thread other = new Thread(e::cancel, "canceller");
        other.start();
        other.join();
    }

    /** Moves the clock to {@code nanos} and fires what is due. */
    private int advanceTo(long nanos) {
        clock.advance(Duration.ofNanos(nanos - clock.nanoTime()));
        return wheel().fireDue(clock.nanoTime(), batch);
    }

    /**
     * Ticks on each side of every level's boundary, and of the span: an entry fires at its tick,
     * not one tick before, whether the clock gets there in one jump or tick by tick near the end.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 63, 64, 65, 127, 128, 4_095, 4_096, 4_097,
            262_143, 262_144, 262_145,
            16_777_215, 16_777_216, 16_777_217, 1_073_741_823, 1_073_741_824, 1_073_741_825,
            68_719_476_735L, 68_719_476_736L, 68_719_476_737L, 200_000_000_000L})
    void entry_firesAtItsTick_notOneTickBefore(long tick) {
        arm(1, tick * MS);
        assertThat(advanceTo((tick - 1) * MS)).isZero();
        assertThat(fired).isEmpty();
        assertThat(wheel().pending()).isEqualTo(1);
        assertThat(advanceTo(tick * MS - 1)).isZero();
        assertThat(advanceTo(tick * MS)).isEqualTo(1);
        assertThat(fired).containsExactly(1);
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().nextDue()).isEqualTo(Nanos.FOREVER);
    }

    /** The same boundaries, with the clock already far from tick 0 when the entry is armed. */
    @ParameterizedTest
    @ValueSource(longs = {1, 63, 64, 65, 4_095, 4_096, 4_097, 262_144, 16_777_216, 1_073_741_824,
            68_719_476_735L})
    void entry_armedLate_firesAtItsTick(long delayTicks) {
        long start = 123_456_789L * MS;
        advanceTo(start);
        arm(1, start + delayTicks * MS);
        assertThat(advanceTo(start + (delayTicks - 1) * MS)).isZero();
        assertThat(advanceTo(start + delayTicks * MS)).isEqualTo(1);
    }

    /**
     * A deadline inside a tick rounds up: it fires at the next tick boundary, never before the
     * deadline.
     */
    @Test
    void deadlineBetweenTicks_roundsUp() {
        arm(1, 10 * MS + 1);
        assertThat(advanceTo(10 * MS + 999_999)).isZero();
        assertThat(advanceTo(11 * MS)).isEqualTo(1);
    }

    /** An entry due by the ticks processed already is refused: the caller completes at once. */
    @Test
    void deadlineAlreadyProcessed_isRefused() {
        advanceTo(50 * MS);
        TimerEntry e = new TimerEntry();
        assertThat(e.arm(wheel(), 50 * MS, new RecordingWaker(1, fired))).isFalse();
        assertThat(e.arm(wheel(), 10 * MS, new RecordingWaker(1, fired))).isFalse();
        assertThat(wheel().pending()).isZero();
        assertThat(e.isArmed()).isFalse();
    }

    /**
     * Cascades: entries placed at level 2 move down through levels 1 and 0 as the clock
     * approaches, and each fires at its own tick, in deadline order.
     */
    @Test
    void cascade_firesEachEntryAtItsOwnTick_inDeadlineOrder() {
        long[] ticks = {5_000, 4_200, 4_160, 4_159, 4_100, 4_097, 6_000};
        for (int i = 0; i < ticks.length; i++) {
            arm(i, ticks[i] * MS);
        }
        for (long t = 4_000; t <= 6_000; t++) {
            int before = fired.size();
            advanceTo(t * MS);
            for (int i = 0; i < ticks.length; i++) {
                boolean isFired = fired.contains(i);
                assertThat(isFired).as("entry due at %d, at tick %d", ticks[i], t)
                        .isEqualTo(ticks[i] <= t);
            }
            assertThat(fired.size() - before).isLessThanOrEqualTo(1);
        }
        assertThat(fired).containsExactly(5, 4, 3, 2, 1, 0, 6);
    }

    /** One jump over many deadlines fires them all, in deadline order, and nothing else. */
    @Test
    void oneJump_firesEveryDueEntry_inDeadlineOrder() {
        Random random = new Random(42);
        long[] deadlines = new long[2_000];
        for (int i = 0; i < deadlines.length; i++) {
            deadlines[i] = 1 + (long) (random.nextDouble() * 300_000 * MS);
            arm(i, deadlines[i]);
        }
        long now = 150_000 * MS;
        advanceTo(now);
        long lastDeadlineTick = -1;
        for (int id : fired) {
            assertThat(deadlines[id]).isLessThanOrEqualTo(now);
            long tick = (deadlines[id] + MS - 1) / MS;
            assertThat(tick).isGreaterThanOrEqualTo(lastDeadlineTick);
            lastDeadlineTick = tick;
        }
        long due = 0;
        for (long d : deadlines) {
            due += d <= now ? 1 : 0;
        }
        assertThat(fired).hasSize((int) due);
        assertThat(wheel().pending()).isEqualTo(deadlines.length - (int) due);
    }

    /**
     * Never early, never missed: random deadlines and random jumps of the clock; after each jump,
     * exactly the entries whose deadline has passed have fired, once each.
     */
    @Test
    void randomDeadlinesAndJumps_fireExactlyTheDueEntries() {
        Random random = new Random(7);
        int n = 5_000;
        long[] deadlines = new long[n];
        RecordingWaker[] wakers = new RecordingWaker[n];
        for (int i = 0; i < n; i++) {
            // Spread over every level: up to about 12 days.
            long span = (long) Math.pow(64, 1 + random.nextInt(5)) * MS;
            deadlines[i] = 1 + (long) (random.nextDouble() * span);
            wakers[i] = new RecordingWaker(i, null);
            new TimerEntry().arm(wheel(), deadlines[i], wakers[i]);
        }
        long now = 0;
        while (wheel().pending() > 0) {
            now += (long) Math.pow(10, 3 + random.nextDouble() * 11); // 1 us to 100 s
            advanceTo(now);
            for (int i = 0; i < n; i++) {
                assertThat(wakers[i].wakes.get())
                        .as("entry %d due at %d, clock at %d", i, deadlines[i], now)
                        .isEqualTo(deadlines[i] <= now ? 1 : 0);
            }
        }
        assertThat(wheel().fired()).isEqualTo(n);
    }

    /**
     * A deadline beyond the span (2.2 years) waits at the far end and is placed again: never early.
     */
    @Test
    void beyondTheSpan_firesAtItsDeadline() {
        long threeYears = Duration.ofDays(3 * 365).toNanos();
        arm(1, threeYears);
        long now = 0;
        while (now < threeYears - Duration.ofDays(1).toNanos()) {
            now += Duration.ofDays(20).toNanos();
            advanceTo(Math.min(now, threeYears - 1));
            assertThat(fired).as("clock at day %d", now / Duration.ofDays(1).toNanos()).isEmpty();
        }
        advanceTo(threeYears - 1);
        assertThat(fired).isEmpty();
        advanceTo(threeYears);
        assertThat(fired).containsExactly(1);
    }

    /** A deadline at the end of time saturates rather than wrapping into the past. */
    @Test
    void endOfTime_neverFires() {
        arm(1, Long.MAX_VALUE);
        advanceTo(Duration.ofDays(100 * 365).toNanos());
        assertThat(fired).isEmpty();
        assertThat(wheel().pending()).isEqualTo(1);
    }

    @Test
    void cancel_removesTheEntry_atOnce_andItNeverFires() {
        TimerEntry e = arm(1, 100 * MS);
        arm(2, 100 * MS);
        e.cancel();
        assertThat(e.isArmed()).isFalse();
        assertThat(wheel().pending()).isEqualTo(1);
        assertThat(wheel().cancelled()).isEqualTo(1);
        e.cancel(); // idempotent
        assertThat(wheel().cancelled()).isEqualTo(1);
        advanceTo(100 * MS);
        assertThat(fired).containsExactly(2);
    }

    @Test
    void cancelOfTheLastEntry_leavesNothingDue() {
        TimerEntry e = arm(1, Duration.ofHours(3).toNanos());
        assertThat(wheel().nextDue()).isNotEqualTo(Nanos.FOREVER);
        e.cancel();
        assertThat(wheel().nextDue()).isEqualTo(Nanos.FOREVER);
    }

    @Test
    void cancelAfterFire_doesNothing() {
        TimerEntry e = arm(1, 5 * MS);
        advanceTo(5 * MS);
        assertThat(e.hasFired()).isTrue();
        e.cancel();
        assertThat(e.hasFired()).isTrue();
        assertThat(wheel().cancelled()).isZero();
        assertThat(wheel().fired()).isEqualTo(1);
    }

    /** An entry fired may be armed again, as an interval does for each tick. */
    @Test
    void firedEntry_canBeArmedAgain() {
        TimerEntry e = arm(1, 5 * MS);
        advanceTo(5 * MS);
        assertThat(e.arm(wheel(), 10 * MS, new RecordingWaker(2, fired))).isTrue();
        advanceTo(10 * MS);
        assertThat(fired).containsExactly(1, 2);
    }

    /** More entries due at once than a batch holds: all fire, over several batches. */
    @Test
    void manyDueAtOnce_allFire_inBatches() {
        for (int i = 0; i < 1_000; i++) {
            arm(i, 7 * MS);
        }
        assertThat(advanceTo(7 * MS)).isEqualTo(1_000);
        assertThat(fired).hasSize(1_000);
        assertThat(wheel().pending()).isZero();
    }

    /**
     * Wakers run once their batch is out of the wheel: a waker that cancels or arms entries of the
     * same wheel (a task woken on this thread that drops its other timers) finds it whole.
     */
    @Test
    void waker_mayCancelAndArmEntriesOfTheSameWheel() {
        TimerEntry later = new TimerEntry();
        TimerEntry first = new TimerEntry();
        first.arm(wheel(), 3 * MS, () -> {
            later.cancel();
            arm(3, 5 * MS);
        });
        later.arm(wheel(), 100 * MS, new RecordingWaker(2, fired));
        assertThat(advanceTo(3 * MS)).isEqualTo(1);
        assertThat(wheel().pending()).isEqualTo(1);
        assertThat(wheel().cancelled()).isEqualTo(1);
        advanceTo(5 * MS);
        assertThat(fired).containsExactly(3);
    }

    /**
     * A due level-0 slot moves to the expired list whole, its entries keeping their slot's index.
     * A waker run between two batches that cancels entries still on that list (its head, one in
     * the middle, its tail) takes them out of that list, not of the slot they came from: they
     * never fire, every other one does, and the slot holds the next entries armed for it.
     */
    @Test
    void waker_cancellingEntriesOfAMovedSlot_takesThemOffTheExpiredList() {
        // Corrupted lists could loop forever: a bound, so that a broken twin fails rather than
        // hangs.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            // the bound's thread: its cancels are the owner's
            wheel().bindOwner(Thread.currentThread());
            for (int i = 0; i < 3 * TimerScope.WAKE_BATCH; i++) {
                arm(i, 7 * MS);
            }
            List<TimerEntry> cancelled = new ArrayList<>();
            // armed last: a slot's head, so in the first batch
            new TimerEntry().arm(wheel(), 7 * MS, () -> {
                if (cancelled.isEmpty()) {
                    TimerEntry middle = wheel().expiredHead;
                    for (int i = 0; i < 50; i++) {
                        middle = middle.next;
                    }
                    cancelled.addAll(List.of(wheel().expiredHead, middle, wheel().expiredTail));
                    cancelled.forEach(TimerEntry::cancel);
                }
            });
            int all = 3 * TimerScope.WAKE_BATCH + 1;
            assertThat(advanceTo(7 * MS)).as("the first batch's waker ran before the others left")
                    .isEqualTo(all - 3);
            assertThat(cancelled).hasSize(3).doesNotHaveDuplicates()
                    .allMatch(e -> !e.hasFired() && e.isFree());
            assertThat(fired).hasSize(all - 4);
            assertThat(wheel().pending()).isZero();
            assertThat(wheel().cancelled()).isEqualTo(3);
            assertThat(wheel().nextDue()).isEqualTo(Nanos.FOREVER);
            arm(-1, 71 * MS); // tick 7 + 64: the same level-0 slot
            arm(-2, 72 * MS);
            assertThat(advanceTo(70 * MS)).isZero();
            assertThat(advanceTo(71 * MS)).isEqualTo(1);
            assertThat(advanceTo(72 * MS)).isEqualTo(1);
            assertThat(fired.subList(fired.size() - 2, fired.size())).containsExactly(-1, -2);
        });
    }

    /**
     * A cancel of a slot's last entry leaves the slot's tail right: when the slot later moves to
     * the expired list whole, the entries of the next slot moved after it are all fired.
     */
    @Test
    void cancelOfASlotsLastEntry_thenTwoSlotsMovedInOneJump_firesEveryOther() {
        TimerEntry last = arm(1, 7 * MS); // a slot's entries are linked newest first
        arm(2, 7 * MS);
        arm(3, 7 * MS);
        arm(4, 8 * MS);
        arm(5, 8 * MS);
        last.cancel();
        assertThat(advanceTo(8 * MS)).isEqualTo(4);
        assertThat(fired).containsExactlyInAnyOrder(2, 3, 4, 5);
        assertThat(wheel().pending()).isZero();
    }

    /** A waker that throws is reported; the other entries of the batch still fire. */
    @Test
    void throwingWaker_doesNotStopTheOthers() {
        new TimerEntry().arm(wheel(), 2 * MS, () -> {
            throw new IllegalStateException("a broken waker");
        });
        arm(2, 2 * MS);
        assertThat(advanceTo(2 * MS)).isEqualTo(2);
        assertThat(fired).containsExactly(2);
    }

    @Test
    void cancelAll_cancelsEveryEntry() {
        for (int i = 0; i < 100; i++) {
            arm(i, (1 + i * 1_000L) * MS);
        }
        advanceTo(1 * MS);
        wheel().cancelAll();
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().cancelled()).isEqualTo(99);
        advanceTo(1_000_000 * MS);
        assertThat(fired).containsExactly(0);
    }

    /**
     * nextDue, the hint a driver parks by, is never later than the next entry's deadline, and is
     * a tick boundary the wheel must process at.
     */
    @Test
    void nextDue_isNeverLaterThanTheNextDeadline() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            arm(i, 1 + (long) (random.nextDouble() * 100_000 * MS));
        }
        while (wheel().pending() > 0) {
            long due = wheel().nextDue();
            int before = fired.size();
            assertThat(advanceTo(due - 1)).isZero();
            advanceTo(due);
            assertThat(fired.size()).isGreaterThanOrEqualTo(before);
        }
    }

    /**
     * A cancel from another thread than the wheel's (an abort from outside) takes the entry out at
     * once for its user (never fired, its waker dropped), and the wheel's thread unlinks it the
     * next time it looks, having been woken for it.
     */
    @Test
    void cancelFromAnotherThread_isUnlinkedByTheWheelsThread() throws InterruptedException {
        TimerEntry e = arm(1, 10 * MS);
        arm(2, 10 * MS);
        cancelOnAnotherThread(e);
        assertThat(e.isArmed()).isFalse();
        assertThat(e.isFree()).as("its wheel has yet to unlink it").isFalse();
        assertThat(driverWakes.get()).as("the wheel's thread was woken to unlink it").isEqualTo(1);
        assertThat(wheel().pending()).isEqualTo(1);
        assertThat(wheel().cancelled()).isEqualTo(1);
        advanceTo(10 * MS);
        assertThat(fired).containsExactly(2);
        assertThat(e.isFree()).isTrue();
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().cancelled()).isEqualTo(1);
    }

    // -------------------------------------------------------- armed to count from the next reading

    private TimerEntry armAtReading(int id, long delayNanos) {
        TimerEntry e = new TimerEntry();
        e.armAtReading(wheel(), delayNanos, new RecordingWaker(id, fired));
        return e;
    }

    /**
     * An entry armed to count from the owner's next reading (see ClockReading) is pending, makes
     * the owner look at its wheel at once, and once placed at that reading fires its delay after
     * it: not one nanosecond before, however much later the reading came than the arming.
     */
    @Test
    void armedAtReading_firesItsDelayAfterTheReading_notBefore() {
        advanceTo(5 * MS);
        TimerEntry e = armAtReading(1, 10 * MS + 1);
        assertThat(e.isArmed()).isTrue();
        assertThat(wheel().pending()).isEqualTo(1);
        assertThat(wheel().needsOwner(clock.nanoTime()))
                .as("its deadline waits for the owner's reading").isTrue();
        assertThat(advanceTo(30 * MS)).as("not placed yet: nothing can fire it").isZero();
        wheel().readingTaken(clock.nanoTime());
        assertThat(wheel().nextDue()).isEqualTo(41 * MS);
        assertThat(advanceTo(40 * MS + 1))
                .as("the reading plus the delay, rounded up to a tick").isZero();
        assertThat(advanceTo(41 * MS - 1)).isZero();
        assertThat(advanceTo(41 * MS)).isEqualTo(1);
        assertThat(fired).containsExactly(1);
        assertThat(wheel().pending()).isZero();
        assertThat(e.isFree()).isTrue();
    }

    /**
     * Entries placed at one reading, with delays across levels, fire in deadline order, each at its
     * tick.
     */
    @Test
    void armedAtReading_manyDelays_fireEachAtItsTick() {
        long[] delays = {4_097 * MS, 3 * MS, 64 * MS, 65 * MS, 1 * MS};
        for (int i = 0; i < delays.length; i++) {
            armAtReading(i, delays[i]);
        }
        arm(9, 2 * MS); // an entry armed the usual way stays where it is
        wheel().readingTaken(clock.nanoTime());
        assertThat(wheel().pending()).isEqualTo(6);
        for (long tick : new long[] {1, 2, 3, 64, 65, 4_097}) {
            assertThat(advanceTo(tick * MS - 1)).isZero();
            assertThat(advanceTo(tick * MS)).as("tick %d", tick).isEqualTo(1);
        }
        assertThat(fired).containsExactly(4, 9, 1, 2, 3, 0);
    }

    /** Cancelled by the owner before the reading: unlinked at once, free, and nothing left due. */
    @Test
    void armedAtReading_cancelledBeforeTheReading_leavesNothing() {
        TimerEntry e = armAtReading(1, 10 * MS);
        TimerEntry kept = armAtReading(2, 20 * MS);
        e.cancel();
        assertThat(e.isFree()).isTrue();
        assertThat(wheel().pending()).isEqualTo(1);
        assertThat(wheel().cancelled()).isEqualTo(1);
        kept.cancel();
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().nextDue()).isEqualTo(Nanos.FOREVER);
        wheel().readingTaken(clock.nanoTime());
        advanceTo(100 * MS);
        assertThat(fired).isEmpty();
    }

    /**
     * Cancelled from another thread before the reading: never fired; the owner stages it with the
     * others at its reading, then unlinks it the next time it looks, as any entry cancelled
     * elsewhere.
     */
    @Test
    void armedAtReading_cancelledFromAnotherThread_isNeverFired_andUnlinked()
            throws InterruptedException {
        TimerEntry e = armAtReading(1, 10 * MS);
        armAtReading(2, 10 * MS);
        cancelOnAnotherThread(e);
        assertThat(e.isArmed()).isFalse();
        assertThat(driverWakes.get()).isEqualTo(1);
        wheel().readingTaken(clock.nanoTime());
        assertThat(advanceTo(10 * MS)).isEqualTo(1);
        assertThat(fired).containsExactly(2);
        assertThat(e.isFree()).isTrue();
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().cancelled()).isEqualTo(1);
    }

    /**
     * An entry cancelled elsewhere from the middle of the list waiting for the reading: the owner
     * stages and places it with its neighbours, so that unlinking it later finds its links within
     * one list, and every other entry fires once, at its tick.
     */
    @Test
    void armedAtReading_cancelledElsewhereFromTheMiddle_leavesTheOthersWhole() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            armAtReading(1, 20 * MS);
            TimerEntry middle = armAtReading(2, 10 * MS);
            armAtReading(3, 5 * MS);
            cancelOnAnotherThread(middle);
            wheel().readingTaken(clock.nanoTime());
            for (long tick = 1; tick <= 30; tick++) {
                advanceTo(tick * MS);
            }
            assertThat(fired).containsExactly(3, 1);
            assertThat(wheel().pending()).isZero();
            assertThat(wheel().nextDue()).isEqualTo(Nanos.FOREVER);
        });
    }

    /**
     * The head of the list waiting for the reading, cancelled elsewhere and unlinked by the owner
     * before that reading (it looks at its wheel for another reason first): the list keeps the
     * others, and an entry armed after joins them.
     */
    @Test
    void armedAtReading_headCancelledElsewhere_unlinkedBeforeTheReading_leavesTheOthers()
            throws InterruptedException {
        armAtReading(1, 10 * MS);
        TimerEntry head = armAtReading(2, 20 * MS);
        cancelOnAnotherThread(head);
        // unlinks it, from the list still waiting for the reading
        assertThat(advanceTo(1)).isZero();
        assertThat(head.isFree()).isTrue();
        armAtReading(3, 30 * MS);
        wheel().readingTaken(clock.nanoTime());
        assertThat(advanceTo(100 * MS)).isEqualTo(2);
        assertThat(fired).containsExactly(1, 3);
        assertThat(wheel().pending()).isZero();
    }

    /**
     * The thread driving the wheel leaves: entries still waiting for its reading are cancelled too.
     */
    @Test
    void cancelAll_cancelsEntriesArmedAtReading() {
        TimerEntry e = armAtReading(1, 10 * MS);
        arm(2, 10 * MS);
        wheel().cancelAll();
        assertThat(e.isArmed()).isFalse();
        assertThat(e.isFree()).isTrue();
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().cancelled()).isEqualTo(2);
        wheel().readingTaken(clock.nanoTime());
        advanceTo(100 * MS);
        assertThat(fired).isEmpty();
    }

    // ---------------------------------------------------------------- batches staged until due

    private boolean anySlotOccupied() {
        for (long bits : wheel().occupied) {
            if (bits != 0) {
                return true;
            }
        }
        return false;
    }

    private int batchesInUse() {
        return (wheel().openBatch - wheel().oldestBatch) & (TimerWheel.BATCHES - 1);
    }

    /**
     * A staged batch stays off the slots until its earliest deadline: a timeout cancelled before
     * then leaves the wheel without touching a slot, and the owner is due back at that deadline
     * only (rounded up to its tick).
     */
    @Test
    void stagedBatch_cancelledBeforeItsEarliestDeadline_neverTouchesASlot() {
        advanceTo(5 * MS);
        TimerEntry first = armAtReading(1, 10_000 * MS);
        TimerEntry second = armAtReading(2, 20_000 * MS - 1);
        wheel().readingTaken(clock.nanoTime());
        assertThat(wheel().nextDue()).isEqualTo(10_005 * MS);
        assertThat(advanceTo(9_000 * MS)).isZero();
        assertThat(anySlotOccupied()).as("staged, not placed").isFalse();
        first.cancel();
        second.cancel();
        assertThat(first.isFree()).isTrue();
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().cancelled()).isEqualTo(2);
        assertThat(wheel().nextDue()).isEqualTo(Nanos.FOREVER);
        assertThat(anySlotOccupied()).isFalse();
        assertThat(advanceTo(30_000 * MS)).isZero();
        assertThat(fired).isEmpty();
    }

    /**
     * Cancels from the open batch, the latest armed (its head) and one armed before it: the batch
     * staged at the reading keeps exactly the others, which fire at their ticks.
     */
    @Test
    void openBatch_cancelsOfItsHeadAndOfAnEarlierEntry_leaveTheOthersToFire() {
        armAtReading(1, 10 * MS);
        TimerEntry earlier = armAtReading(2, 20 * MS);
        armAtReading(3, 30 * MS);
        TimerEntry head = armAtReading(4, 40 * MS);
        head.cancel();
        earlier.cancel();
        assertThat(wheel().pending()).isEqualTo(2);
        armAtReading(5, 50 * MS); // the new head, linked to what the cancels left
        wheel().readingTaken(clock.nanoTime());
        assertThat(batchesInUse()).isEqualTo(1);
        assertThat(advanceTo(100 * MS)).isEqualTo(3);
        assertThat(fired).containsExactly(1, 3, 5);
        assertThat(wheel().pending()).isZero();
    }

    /**
     * Batches of different readings are placed as each one's earliest deadline comes, and every
     * entry fires at its own tick: the reading of its batch plus its delay, rounded up.
     */
    @Test
    void stagedBatches_ofSeveralReadings_fireEachEntryAtItsTick() {
        armAtReading(1, 100 * MS);
        armAtReading(2, 5_000 * MS);
        wheel().readingTaken(clock.nanoTime()); // batch A at 0
        advanceTo(3 * MS + 1);
        armAtReading(3, 50 * MS);
        armAtReading(4, 100 * MS);
        wheel().readingTaken(clock.nanoTime()); // batch B at 3 ms + 1 ns
        assertThat(batchesInUse()).isEqualTo(2);
        assertThat(wheel().nextDue()).isEqualTo(54 * MS);
        assertThat(advanceTo(54 * MS - 1)).isZero();
        assertThat(advanceTo(54 * MS)).as("B's first, at the tick after 53 ms + 1 ns").isEqualTo(1);
        assertThat(fired).containsExactly(3);
        assertThat(advanceTo(100 * MS - 1)).isZero();
        assertThat(advanceTo(100 * MS)).as("A's first").isEqualTo(1);
        assertThat(advanceTo(104 * MS - 1)).isZero();
        assertThat(advanceTo(104 * MS)).as("B's second").isEqualTo(1);
        assertThat(advanceTo(5_000 * MS - 1)).isZero();
        assertThat(advanceTo(5_000 * MS)).as("A's second").isEqualTo(1);
        assertThat(fired).containsExactly(3, 1, 4, 2);
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().nextDue()).isEqualTo(Nanos.FOREVER);
    }

    /**
     * More readings with live entries than the ring holds: staging one more places the oldest
     * batch first, so no batch's list is overwritten, and each entry still fires at its tick.
     */
    @Test
    void stagedBatches_beyondTheRing_placeTheOldest_andLoseNothing() {
        int readings = 3 * TimerWheel.BATCHES;
        for (int i = 0; i < readings; i++) {
            armAtReading(i, 1_000 * MS);
            wheel().readingTaken(clock.nanoTime());
            advanceTo((i + 1) * MS);
        }
        assertThat(wheel().pending()).isEqualTo(readings);
        assertThat(batchesInUse()).isLessThan(TimerWheel.BATCHES);
        assertThat(anySlotOccupied()).as("the oldest batches were placed to make room").isTrue();
        for (int i = 0; i < readings; i++) {
            assertThat(advanceTo((1_000 + i) * MS - 1)).isZero();
            assertThat(advanceTo((1_000 + i) * MS)).as("reading %d", i).isEqualTo(1);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            expected.add(i);
        }
        assertThat(fired).isEqualTo(expected);
        assertThat(wheel().pending()).isZero();
    }

    /**
     * Batches that cancels emptied give their room in the ring back as new ones are staged, even
     * while other entries keep the wheel busy: so a stream of short-lived timeouts never fills
     * the ring, and never gets placed.
     */
    @Test
    void stagedBatches_emptiedByCancels_areDropped() {
        arm(-1, 60_000 * MS); // keeps something pending throughout
        for (int i = 0; i < 3 * TimerWheel.BATCHES; i++) {
            TimerEntry e = armAtReading(i, 10_000 * MS);
            wheel().readingTaken(clock.nanoTime());
            e.cancel();
            advanceTo((i + 1) * MS);
        }
        assertThat(batchesInUse()).isLessThanOrEqualTo(1);
        assertThat(wheel().pending()).isEqualTo(1);
        assertThat(advanceTo(59_999 * MS)).isZero();
        assertThat(advanceTo(60_000 * MS)).isEqualTo(1);
        assertThat(fired).containsExactly(-1);
    }

    /**
     * The thread driving the wheel leaves: entries of staged batches are cancelled with the rest.
     */
    @Test
    void cancelAll_cancelsStagedEntries() {
        TimerEntry staged = armAtReading(1, 10 * MS);
        wheel().readingTaken(clock.nanoTime());
        TimerEntry open = armAtReading(2, 10 * MS);
        wheel().cancelAll();
        assertThat(staged.isFree()).isTrue();
        assertThat(open.isFree()).isTrue();
        assertThat(wheel().pending()).isZero();
        assertThat(wheel().cancelled()).isEqualTo(2);
        wheel().readingTaken(clock.nanoTime());
        assertThat(advanceTo(100 * MS)).isZero();
        assertThat(fired).isEmpty();
    }

    /** A manual clock's listener wakes the driver only once an entry is due. */
    @Test
    void wakeDriverIfDue_wakesOnlyWhenDue() {
        arm(1, 20 * MS);
        clock.advance(Duration.ofMillis(19));
        wheel().wakeDriverIfDue();
        assertThat(driverWakes.get()).isZero();
        clock.advance(Duration.ofMillis(1));
        wheel().wakeDriverIfDue();
        assertThat(driverWakes.get()).isEqualTo(1);
    }

    @Test
    void levelOf_isTheHighestDifferingSixBitGroup() {
        assertThat(TimerWheel.levelOf(0, 1)).isZero();
        assertThat(TimerWheel.levelOf(0, 63)).isZero();
        assertThat(TimerWheel.levelOf(0, 64)).isEqualTo(1);
        assertThat(TimerWheel.levelOf(63, 64)).isEqualTo(1);
        assertThat(TimerWheel.levelOf(64, 127)).isZero();
        assertThat(TimerWheel.levelOf(0, 4_096)).isEqualTo(2);
        assertThat(TimerWheel.levelOf(0, TimerWheel.SPAN)).isEqualTo(5);
        assertThat(TimerWheel.levelOf(0, TimerWheel.SPAN + 1)).isEqualTo(5);
    }
}
