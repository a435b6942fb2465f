package dev.weft.time.driver;

import dev.weft.Waker;
import dev.weft.task.Wakes;
import dev.weft.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A hierarchical timing wheel (seed section 3.2.4.4.2, done as Varghese and Lauck describe, and
 * as Tokio and Kafka do): O(1) to arm and to cancel a timer, O(1) per timer to fire it, however
 * many are pending. One per thread that drives a runtime (each worker, a current-thread runtime's
 * owner, a {@code blockOn} caller): its owner. Arming, firing and a cancel by the owner take no
 * lock and no atomic instruction; only a cancel from another thread does.
 *
 * <h2>Layout</h2>
 * Time is counted in ticks of {@value #TICK_NANOS} ns from the wheel's creation. {@code elapsed}
 * is the last tick processed. There are {@value #LEVELS} levels of {@value #SLOTS} slots; a slot
 * of level L spans 64^L ticks, so level 0 holds the next 64 ms one tick per slot, level 1 the next
 * 4 s, ..., level 5 about 2.2 years ({@link #SPAN} ticks in all). An entry due at tick t goes to
 * the level of the highest 6-bit group in which t differs from {@code elapsed}, in the slot that
 * group's value names: so every slot of a level ahead of {@code elapsed}'s own holds only entries
 * due within it, and a level's occupied slots are one {@code long} bitmap, whose next set bit
 * (a rotate and a count of trailing zeros) says when that level next needs work. An entry beyond
 * the span waits at its far end and is placed again when reached. Each slot is an intrusive doubly
 * linked list through the entries, so a cancel unlinks in O(1).
 *
 * <h2>Batches</h2>
 * An entry whose delay counts from the owner's next clock reading (see {@link ClockReading}) goes
 * to the open batch: one more such list, of the entries armed for that reading. When the owner
 * takes the reading, the open batch is staged whole, in O(1): its entries now have a deadline
 * (the reading plus their delay) but stay on its list, unplaced, until the earliest of them
 * comes; then the batch is placed, each entry in its slot. Most timeouts are cancelled long
 * before they would fire (a 10 s timeout around a call that takes microseconds): so they leave
 * the wheel without ever touching a slot, as Netty's wheel also leaves the timeouts set between
 * two ticks unplaced till the next. At most {@value #BATCHES} batches are kept (a ring, one
 * open and the rest staged); staging one more when all are in use places the oldest first, and
 * emptied batches at the old end are dropped as new ones are staged. The open batch's head, which
 * nearly every arm and cancel rewrites, is kept apart from the staged ones' (see {@link OpenHead}).
 *
 * <h2>Advancing</h2>
 * {@link #fireDue} takes the earliest occupied slot while it starts no later than now: an entry
 * due at the slot's first tick is expired; any other (a slot of level 1 or more spans many ticks)
 * moves down to the level its deadline now calls for (a cascade: at most once per level per
 * entry). A level-0 slot spans one tick, so all of it is due: its list moves to the expired one
 * whole, in O(1) (each slot keeps its tail for this), rather than entry by entry. Expired entries
 * are then fired in batches: marked FIRED and their wakers copied out, then woken, so a waker
 * that arms or cancels a timer of this wheel (the task woken on this thread) never finds it half
 * updated. A deadline is rounded up to a whole tick and a tick is processed only once the clock
 * has passed it: so a timer never fires early.
 *
 * <h2>Threads</h2>
 * The slots, the links, {@code elapsed} and the counts belong to the owner; only it arms (a timer
 * is armed by the poll that needs it, on the polling thread's own wheel) and fires. A cancel comes
 * from the entry's holder, on whatever thread ends the task or polls it now:
 * <ul>
 *   <li>on the owner's thread (the common case: the task armed its timeout here, and completes
 *       here), nothing can race it, since only the owner fires: it unlinks the entry at once,
 *       with plain writes;</li>
 *   <li>on another thread (the task was aborted from outside, or moved to another worker), the
 *       owner may be firing the entry at that very moment: the two race by CAS on the entry's
 *       state, ARMED to CANCELLED against ARMED to FIRED, and exactly one wins. A cancel that
 *       wins drops the entry's waker at once (the task it would wake may be collected) and pushes
 *       the entry on a lock-free stack ({@code cancelledHead}) that the owner empties, unlinking
 *       each entry, the next time it looks at its wheel; the owner is unparked for it, so a
 *       parked one does not keep the entry till its next timer.</li>
 * </ul>
 *
 * <h2>Memory ordering</h2>
 * The figures read by other threads ({@code pending}, {@code fired}, {@code cancelled},
 * {@code nextDue}) are written by the owner with opaque stores: metrics and hints, each a value
 * the wheel really had. {@code nextDue} may be early (after a cancel), never late for the owner.
 * A manual clock's listener reads it on another thread after moving the clock; the owner writes it
 * when it arms, and then, before it parks, fences and reads the clock
 * ({@link TimerScope#parkNanos}): either the listener sees the entry due and unparks the owner, or
 * the owner sees the clock moved and does not park. Entries: see {@link TimerEntry}.
 */
public final class TimerWheel extends TimerWheelFields {

    /** The wheel's resolution: one millisecond. */
    public static final long TICK_NANOS = 1_000_000L;
    static final int LEVELS = 6;
    static final int SLOT_BITS = 6;
    static final int SLOTS = 1 << SLOT_BITS;
    static final long SLOT_MASK = SLOTS - 1;
    /** Ticks the wheel spans, about 2.2 years. */
    static final long SPAN = (1L << (LEVELS * SLOT_BITS)) - 1;
    /** {@link TimerEntry#slot} of an entry on the expired list. */
    static final int EXPIRED = -1;
    /**
     * {@link TimerEntry#slot} of an entry in no list of this wheel, waiting on the cancelled stack.
     */
    static final int UNLINKED = -2;
    /** Batches kept, the open one included: see "Batches". */
    static final int BATCHES = 64;
    /** {@link TimerEntry#slot} of an entry on batch {@code b}: {@code IN_BATCH - b}. */
    static final int IN_BATCH = -3;

    // Padding after the fields of TimerWheelFields: the owner writes them on every arm and cancel,
    // and the object the GC happens to place next may be another worker's wheel.
    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07;

    /**
     * Creates an empty wheel whose tick 0 is now.
     *
     * @param clock      the clock deadlines are read on
     * @param wakeDriver unparks the thread that drives the wheel; see {@link #wakeDriverIfDue()}
     */
    public TimerWheel(Clock clock, Runnable wakeDriver) {
        super(clock, wakeDriver);
    }

    /**
     * Makes {@code driver} the wheel's owner: the one thread that arms, fires and cancels without
     * atomics. The creating thread owns it at first; a worker, built on another thread, claims its
     * wheel when it starts. A later call hands the wheel over, which only a thread that has seen
     * every change of the previous owner (through a happens-before edge) may do.
     *
     * @param driver the thread that drives the wheel from now on
     */
    public void bindOwner(Thread driver) {
        owner = driver;
    }

    /**
     * Returns the clock deadlines are read on.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- arming and cancelling

    /**
     * Arms {@code e}, unless its deadline is due by the ticks processed already. Owner only.
     *
     * @return false if due: nothing was armed
     */
    boolean insert(TimerEntry e, long deadlineNanos, Waker waker) {
        long tick = tickAtOrAfter(deadlineNanos);
        if (tick <= elapsed) {
            return false;
        }
        e.tick = tick;
        long slotStart = place(e);
        setPendingOpaque(pending + 1);
        // The start of the entry's slot, not its deadline: the wheel must be processed then to
        // move it down a level (or fire it, at level 0).
        long due = nanosOfTick(slotStart);
        if (due < nextDue) {
            setNextDueOpaque(due);
        }
        publishArmed(e, waker);
        return true;
    }

    /**
     * Release stores, the state last: another thread that reads ARMED (a cancel's CAS, which
     * reads the waker's and wheel's values after it) sees the rest. The arming thread polls the
     * entry next, or hands the future on through a release of its own.
     */
    private void publishArmed(TimerEntry e, Waker waker) {
        e.setWakerRelease(waker);
        e.setWheelRelease(this);
        e.setStateRelease(TimerEntry.ARMED);
    }

    /**
     * Arms {@code e} to fire {@code delayNanos} after the owner's next clock reading, which it does
     * not know yet (see {@link ClockReading}): on the open batch, from which a cancel unlinks it in
     * O(1) like from a slot, until the owner takes that reading ({@link #readingTaken}); see
     * "Batches". Owner only.
     *
     * @param delayNanos more than zero
     */
    void insertAtReading(TimerEntry e, long delayNanos, Waker waker) {
        int b = openBatch;
        TimerEntry head = openHead.entry;
        e.tick = delayNanos; // the delay until placed: see TimerEntry
        e.slot = IN_BATCH - b;
        e.previous = null;
        e.next = head;
        if (head != null) {
            head.previous = e;
            if (delayNanos < batchDelays[PAD + b]) {
                batchDelays[PAD + b] = delayNanos;
            }
        } else {
            batchDelays[PAD + b] = delayNanos; // the first of the batch, or of what cancels left
        }
        openHead.entry = e;
        setPendingOpaque(pending + 1);
        // Its deadline is unknown, so the owner must look at the wheel at its very next chance:
        // it takes the reading then (see TimerScope.readClock), which stages the batch.
        setNextDueOpaque(Long.MIN_VALUE);
        publishArmed(e, waker);
    }

    /**
     * The owner took the reading the open batch's entries count from: stages that batch, to be
     * placed when its earliest deadline comes (see "Batches"), and opens the next. Owner only.
     *
     * @param now the reading, no earlier than any this wheel processed
     */
    void readingTaken(long now) {
        int b = openBatch;
        if (openHead.entry == null) {
            return; // nothing armed for this reading, or all cancelled since
        }
        batchHeads[PAD + b] = openHead.entry;
        openHead = new OpenHead(); // see OpenHead
        batchReadings[PAD + b] = now;
        long due = batchDue(b);
        if (due < stagedDue) {
            stagedDue = due;
        }
        openBatch = nextBatch(b);
        if (openBatch == oldestBatch) {
            // every batch in use: the oldest makes room for the next open one
            placeBatch(oldestBatch);
            oldestBatch = nextBatch(oldestBatch);
        }
        dropEmptiedBatches();
        setNextDueOpaque(earliestDue(now));
    }

    /**
     * Places every staged batch whose earliest deadline has come by {@code now}; recomputes
     * {@code stagedDue}.
     */
    private void placeDueBatches(long now) {
        long earliest = Nanos.FOREVER;
        for (int b = oldestBatch; b != openBatch; b = nextBatch(b)) {
            if (batchHeads[PAD + b] == null) {
                continue;
            }
            long due = batchDue(b);
            if (due <= now) {
                placeBatch(b);
            } else if (due < earliest) {
                earliest = due;
            }
        }
        stagedDue = earliest;
        dropEmptiedBatches();
    }

    /**
     * The start of the tick of staged batch {@code b}'s earliest deadline (early after a cancel).
     */
    private long batchDue(int b) {
        return nanosOfTick(tickAtOrAfter(Nanos.add(batchReadings[PAD + b], batchDelays[PAD + b])));
    }

    /** Places each entry of staged batch {@code b} in its slot; the batch is empty after. */
    private void placeBatch(int b) {
        TimerEntry e = batchHeads[PAD + b];
        batchHeads[PAD + b] = null;
        long reading = batchReadings[PAD + b];
        while (e != null) {
            TimerEntry next = e.next;
            // A delay of 1 ns or more from a reading no earlier than any processed when it was
            // taken, placed no later than the first processing at or after its batch's earliest
            // deadline: a tick after elapsed. The max keeps it so whatever the arithmetic's
            // saturation does.
            e.tick = Math.max(tickAtOrAfter(Nanos.add(reading, e.tick)), elapsed + 1);
            place(e);
            e = next;
        }
    }

    /** Moves the old end of the ring past the staged batches that cancels emptied. */
    private void dropEmptiedBatches() {
        while (oldestBatch != openBatch && batchHeads[PAD + oldestBatch] == null) {
            oldestBatch = nextBatch(oldestBatch);
        }
    }

    private static int nextBatch(int b) {
        return (b + 1) & (BATCHES - 1);
    }

    /** Takes {@code e} out if it is armed here; see "Threads" and {@link TimerEntry#cancel()}. */
    void cancel(TimerEntry e) {
        if (Thread.currentThread() == owner) {
            // Only this thread fires: nothing can take the entry out meanwhile.
            if (e.state == TimerEntry.ARMED) {
                unlink(e);
                int left = pending - 1;
                setPendingOpaque(left);
                setCancelledOpaque(cancelled + 1);
                if (left == 0) {
                    nothingPending();
                }
                detach(e, TimerEntry.CANCELLED);
            }
            return;
        }
        // The owner may be firing it right now: exactly one of the two CASes wins.
        if (!e.casState(TimerEntry.ARMED, TimerEntry.CANCELLED)) {
            return; // fired first, or cancelled already
        }
        e.setWakerOpaque(null); // the task it would wake may be collected now
        getAndIncrementCancelledElsewhere();
        TimerEntry head;
        do {
            head = cancelledHead;
            e.nextCancelled = head; // published by the CAS below, read after the owner's getAndSet
        } while (!casCancelledHead(head, e));
        if (head == null) {
            wakeDriver.run(); // the first since the owner last looked: it unlinks the entry
        }
    }

    /** Owner: unlinks the entries other threads cancelled since the last call. */
    private void unlinkCancelledElsewhere() {
        if (cancelledHead == null) {
            return;
        }
        TimerEntry e = getAndSetCancelledHead(null);
        long drained = 0;
        while (e != null) {
            TimerEntry next = e.nextCancelled;
            e.nextCancelled = null;
            if (e.slot != UNLINKED) {
                unlink(e);
            }
            drained++;
            e.setWheelRelease(null); // reusable from now on: see TimerEntry
            e = next;
        }
        setPendingOpaque(pending - (int) drained);
        setCancelledOpaque(cancelled + drained);
        setDrainedElsewhereOpaque(drainedElsewhere + drained);
        if (pending == 0) {
            nothingPending();
        }
    }

    /** Owner: the last linked entry left; so every list, and every batch, is empty. */
    private void nothingPending() {
        setNextDueOpaque(Nanos.FOREVER);
        stagedDue = Nanos.FOREVER;
        oldestBatch = openBatch;
    }

    /** Owner: the entry left every list: drops its waker, then frees it for reuse. */
    private static void detach(TimerEntry e, int state) {
        e.setWakerOpaque(null);
        e.setStateRelease(state);
        e.setWheelRelease(null);
    }

    /**
     * Cancels every armed entry: the thread driving the wheel leaves for good. Owner only, or any
     * thread once the owner has stopped.
     */
    public void cancelAll() {
        unlinkCancelledElsewhere();
        int n = cancelList(expiredHead);
        expiredHead = null;
        expiredTail = null;
        // The staged batches and the open one: the others are empty (placed, or dropped once
        // emptied).
        for (int b = oldestBatch; b != openBatch; b = nextBatch(b)) {
            n += cancelList(batchHeads[PAD + b]);
            batchHeads[PAD + b] = null;
        }
        n += cancelList(openHead.entry);
        openHead.entry = null;
        stagedDue = Nanos.FOREVER;
        oldestBatch = openBatch;
        for (int level = 0; level < LEVELS; level++) {
            // Only the occupied slots, by their bitmap: an empty wheel costs six reads.
            for (long bits = occupied[PAD + level]; bits != 0; bits &= bits - 1) {
                int index = slotIndex(level, Long.numberOfTrailingZeros(bits));
                n += cancelList(slots[index]);
                slots[index] = null;
                slotTails[index] = null;
            }
            occupied[PAD + level] = 0;
        }
        setPendingOpaque(pending - n);
        setCancelledOpaque(cancelled + n);
        setNextDueOpaque(Nanos.FOREVER);
    }

    /** Cancels the entries of a list, each against a racing cancel from another thread. */
    private static int cancelList(TimerEntry e) {
        int n = 0;
        while (e != null) {
            TimerEntry next = e.next;
            e.previous = null;
            e.next = null;
            e.slot = UNLINKED;
            // One that another thread cancelled is on the cancelled stack: counted there, later.
            if (e.casState(TimerEntry.ARMED, TimerEntry.CANCELLED)) {
                e.setWakerOpaque(null);
                e.setWheelRelease(null);
                n++;
            }
            e = next;
        }
        return n;
    }

    // ---------------------------------------------------------------- firing

    /**
     * Fires every entry due at {@code now}: takes it out, marks it FIRED and wakes its waker, in
     * batches of {@code batch.length} (see "Advancing"). Owner only.
     *
     * @param now   a reading of {@link #clock()}
     * @param batch scratch room of the calling thread for the wakers of one batch; left all null
     * @return the number of entries fired
     */
    public int fireDue(long now, Waker[] batch) {
        unlinkCancelledElsewhere();
        if (now >= stagedDue) {
            placeDueBatches(now);
        }
        long nowTick = tickAtOrBefore(now);
        if (nowTick > elapsed) {
            expireUpTo(nowTick);
        }
        int total = 0;
        while (true) {
            int n = 0;
            TimerEntry e;
            while (n < batch.length && (e = expiredHead) != null) {
                unlink(e);
                // A full fence, and the volatile read of the waker after it: see TimerEntry. It
                // fails if another thread cancelled the entry, which then waits on the cancelled
                // stack, unlinked already.
                if (e.casState(TimerEntry.ARMED, TimerEntry.FIRED)) {
                    setPendingOpaque(pending - 1);
                    setFiredOpaque(fired + 1);
                    batch[n++] = e.waker;
                    e.setWakerOpaque(null);
                    e.setWheelRelease(null);
                }
            }
            setNextDueOpaque(earliestDue(now));
            for (int i = 0; i < n; i++) {
                Wakes.wake(batch[i], "when its timer fired");
                batch[i] = null;
            }
            total += n;
            if (expiredHead == null) {
                return total;
            }
        }
    }

    /** Moves every entry due by {@code nowTick} to the expired list, cascading the others down. */
    private void expireUpTo(long nowTick) {
        for (int level = lowestOccupiedLevel(); level >= 0; level = lowestOccupiedLevel()) {
            int slot = nextOccupiedSlot(level);
            long start = slotStart(level, slot);
            if (start > nowTick) {
                break;
            }
            elapsed = start;
            int index = slotIndex(level, slot);
            TimerEntry e = slots[index];
            TimerEntry tail = slotTails[index];
            slots[index] = null;
            slotTails[index] = null;
            occupied[PAD + level] &= ~(1L << slot);
            if (level == 0) {
                // A level-0 slot spans one tick: every entry in it is due. The whole list moves to
                // the expired one, each entry keeping its slot index: see isExpired.
                spliceExpired(e, tail);
                continue;
            }
            while (e != null) {
                TimerEntry next = e.next;
                if (e.tick <= start) {
                    appendExpired(e);
                } else {
                    place(e); // due later within this slot's span: a lower level now
                }
                e = next;
            }
        }
        if (nowTick > elapsed) {
            elapsed = nowTick;
        }
    }

    // ---------------------------------------------------------------- what is due when

    /**
     * Returns a hint of when the wheel must next be processed: the start of the earliest occupied
     * slot (an entry's deadline at level 0, a cascade above it); early after a cancel, never late
     * for the owner, nor for another thread that reads it after the owner fenced before parking
     * (see "Memory ordering").
     *
     * @return a clock reading, or {@link Nanos#FOREVER} if no entry is armed
     */
    public long nextDue() {
        return nextDueOpaque();
    }

    /**
     * Tells whether nothing at all is pending: no entry armed, none cancelled elsewhere to
     * unlink. Two field reads, no clock.
     *
     * @return true if the owner has nothing to do here, whatever the time
     */
    boolean isIdle() {
        return nextDue() == Nanos.FOREVER && cancelledHead == null;
    }

    /**
     * Tells whether the owner should look at its wheel: an entry may be due, or other threads
     * cancelled entries it has to unlink.
     *
     * @param now a reading of {@link #clock()}
     * @return true if so
     */
    boolean needsOwner(long now) {
        return now >= nextDue() || cancelledHead != null;
    }

    /** Unparks the thread that drives this wheel if an entry is due now: a manual clock moved. */
    public void wakeDriverIfDue() {
        if (clock.nanoTime() >= nextDue()) {
            wakeDriver.run();
        }
    }

    /**
     * Returns the number of armed entries.
     *
     * @return a recent count
     */
    public int pending() {
        long elsewhere = cancelledElsewhereOpaque() - drainedElsewhereOpaque();
        return (int) Math.max(0, pendingOpaque() - elsewhere);
    }

    /**
     * Returns the number of entries fired so far.
     *
     * @return a recent count
     */
    public long fired() {
        return firedOpaque();
    }

    /**
     * Returns the number of entries cancelled while armed so far.
     *
     * @return a recent count
     */
    public long cancelled() {
        long elsewhere = cancelledElsewhereOpaque() - drainedElsewhereOpaque();
        return cancelledOpaque() + Math.max(0, elsewhere);
    }

    // ---------------------------------------------------------------- the levels

    /**
     * Links {@code e} into the slot its tick calls for, relative to {@code elapsed}.
     *
     * @return the first tick of that slot
     */
    private long place(TimerEntry e) {
        long when = Math.min(e.tick, elapsed + SPAN);
        int level = levelOf(elapsed, when);
        int slot = (int) ((when >>> (level * SLOT_BITS)) & SLOT_MASK);
        int index = slotIndex(level, slot);
        TimerEntry head = slots[index];
        e.previous = null;
        e.next = head;
        if (head != null) {
            head.previous = e;
        } else {
            occupied[PAD + level] |= 1L << slot;
            slotTails[index] = e;
        }
        slots[index] = e;
        e.slot = index;
        return slotStart(level, slot);
    }

    /** The level of the highest 6-bit group in which {@code when} differs from {@code elapsed}. */
    static int levelOf(long elapsed, long when) {
        long masked = (elapsed ^ when) | SLOT_MASK;
        int significant = 63 - Long.numberOfLeadingZeros(masked);
        return Math.min(significant / SLOT_BITS, LEVELS - 1);
    }

    private void unlink(TimerEntry e) {
        TimerEntry previous = e.previous;
        TimerEntry next = e.next;
        int slot = e.slot;
        boolean expired = isExpired(e);
        if (previous != null) {
            previous.next = next;
        } else if (expired) {
            expiredHead = next;
        } else if (slot >= 0) {
            slots[slot] = next;
            if (next == null) {
                int levelAndSlot = slot - PAD;
                occupied[PAD + levelAndSlot / SLOTS] &= ~(1L << (levelAndSlot % SLOTS));
            }
        } else if (IN_BATCH - slot == openBatch) {
            openHead.entry = next;
        } else {
            batchHeads[PAD + IN_BATCH - slot] = next;
        }
        if (next != null) {
            next.previous = previous;
        } else if (expired) {
            expiredTail = previous;
        } else if (slot >= 0) {
            slotTails[slot] = previous;
        }
        e.previous = null;
        e.next = null;
        e.slot = UNLINKED;
    }

    /**
     * Tells whether {@code e} is on the expired list: appended there ({@link #EXPIRED}), or moved
     * there with its whole level-0 slot, keeping that slot's index, and due: an entry still in a
     * slot is due after {@code elapsed}, one moved out of it at or before.
     */
    private boolean isExpired(TimerEntry e) {
        return e.slot == EXPIRED || (e.slot >= 0 && e.tick <= elapsed);
    }

    /** Appends the list from {@code head} to {@code tail} to the expired list, in O(1). */
    private void spliceExpired(TimerEntry head, TimerEntry tail) {
        head.previous = expiredTail;
        if (expiredTail == null) {
            expiredHead = head;
        } else {
            expiredTail.next = head;
        }
        expiredTail = tail;
    }

    private void appendExpired(TimerEntry e) {
        e.slot = EXPIRED;
        e.next = null;
        spliceExpired(e, e);
    }

    private static int slotIndex(int level, int slot) {
        return PAD + level * SLOTS + slot;
    }

    private int lowestOccupiedLevel() {
        for (int level = 0; level < LEVELS; level++) {
            if (occupied[PAD + level] != 0) {
                return level;
            }
        }
        return -1;
    }

    /** The first occupied slot of {@code level} from {@code elapsed}'s position on, cyclically. */
    private int nextOccupiedSlot(int level) {
        int shift = level * SLOT_BITS;
        int position = (int) ((elapsed >>> shift) & SLOT_MASK);
        long rotated = Long.rotateRight(occupied[PAD + level], position);
        return (position + Long.numberOfTrailingZeros(rotated)) & (int) SLOT_MASK;
    }

    /**
     * The first tick of a slot ahead of {@code elapsed}. Below the top level an occupied slot is
     * always ahead of {@code elapsed}'s own; the top level is a ring, whose slots behind it (or
     * at it) belong to its next turn.
     */
    private long slotStart(int level, int slot) {
        int shift = level * SLOT_BITS;
        long levelSpan = 1L << (shift + SLOT_BITS);
        long start = (elapsed & -levelSpan) + ((long) slot << shift);
        return start <= elapsed ? start + levelSpan : start;
    }

    /**
     * What {@link #nextDue()} should say once the owner processed the wheel at {@code now}: now
     * if entries wait on the expired list; at once if some wait for the next reading (see
     * insertAtReading); else the earlier of the earliest occupied slot's start and the earliest
     * deadline of a staged batch, or {@link Nanos#FOREVER}.
     */
    private long earliestDue(long now) {
        if (expiredHead != null) {
            return now;
        }
        if (openHead.entry != null) {
            return Long.MIN_VALUE;
        }
        return pending == 0 ? Nanos.FOREVER : Math.min(nanosOfTick(earliestSlotStart()), stagedDue);
    }

    /** The first tick of the earliest occupied slot, or {@link Nanos#FOREVER}. */
    private long earliestSlotStart() {
        int level = lowestOccupiedLevel();
        return level < 0 ? Nanos.FOREVER : slotStart(level, nextOccupiedSlot(level));
    }

    // ---------------------------------------------------------------- ticks and clock readings

    /** The first tick at or after {@code nanos}: a deadline rounds up, so nothing fires early. */
    long tickAtOrAfter(long nanos) {
        long sinceOrigin = Nanos.subtract(nanos, origin);
        return sinceOrigin <= 0 ? 0 : (sinceOrigin - 1) / TICK_NANOS + 1;
    }

    /** The last tick at or before {@code nanos}: the clock has passed every tick up to it. */
    long tickAtOrBefore(long nanos) {
        long sinceOrigin = Nanos.subtract(nanos, origin);
        return sinceOrigin <= 0 ? 0 : sinceOrigin / TICK_NANOS;
    }

    /** The clock reading at which {@code tick} starts. */
    long nanosOfTick(long tick) {
        long sinceOrigin = tick >= Long.MAX_VALUE / TICK_NANOS ? Long.MAX_VALUE : tick * TICK_NANOS;
        return Nanos.add(origin, sinceOrigin);
    }

    /**
     * The head of the open batch's list, in an object of its own that staging replaces, rather
     * than in {@code batchHeads} like the staged ones'. Why: the wheel is long-lived, so the
     * collector soon moves it to the old generation, and G1 (the default collector) makes every
     * store of a young reference into an old object pay a full fence in its write barrier (until
     * JDK 26); arming and cancelling rewrite this head with a fresh entry nearly every time. A
     * holder created at each staging (one per clock reading that timers waited for, not per
     * timer) is young, and stores into it skip the fence (what it is worth on set+cancel:
     * docs/performance.md, "Timer figures").
     */
    static final class OpenHead {
        TimerEntry entry;
    }

    @Override
    public String toString() {
        return "TimerWheel[" + pending() + " pending, " + fired() + " fired, " + cancelled()
                + " cancelled]";
    }
}

/** The padding before the wheel's fields. */
@SuppressWarnings("unused")
abstract class TimerWheelPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}

/**
 * The wheel's fields, between the two paddings (fields of one class may be reordered, classes
 * not). The arrays are padded too, at both ends: their first and last elements are written as
 * often as the fields, and sit next to whatever the GC placed before and after them.
 */
abstract class TimerWheelFields extends TimerWheelPadBefore {

    /** Unused elements at each end of the arrays: 64 bytes of references or longs at least. */
    static final int PAD = 16;

    private static final VarHandle PENDING;
    private static final VarHandle FIRED;
    private static final VarHandle CANCELLED;
    private static final VarHandle NEXT_DUE;
    private static final VarHandle CANCELLED_HEAD;
    private static final VarHandle CANCELLED_ELSEWHERE;
    private static final VarHandle DRAINED_ELSEWHERE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PENDING = lookup.findVarHandle(TimerWheelFields.class, "pending", int.class);
            FIRED = lookup.findVarHandle(TimerWheelFields.class, "fired", long.class);
            CANCELLED = lookup.findVarHandle(TimerWheelFields.class, "cancelled", long.class);
            NEXT_DUE = lookup.findVarHandle(TimerWheelFields.class, "nextDue", long.class);
            CANCELLED_HEAD =
                    lookup.findVarHandle(TimerWheelFields.class, "cancelledHead", TimerEntry.class);
            CANCELLED_ELSEWHERE =
                    lookup.findVarHandle(TimerWheelFields.class, "cancelledElsewhere", long.class);
            DRAINED_ELSEWHERE =
                    lookup.findVarHandle(TimerWheelFields.class, "drainedElsewhere", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Clock clock;
    /** The clock reading of tick 0. */
    final long origin;
    /** Unparks the thread that drives this wheel. */
    final Runnable wakeDriver;
    /**
     * The thread that drives the wheel; see {@link TimerWheel#bindOwner(Thread)}. Plain: read by a
     * cancel on any thread, which compares it with itself; a thread finds itself here only if it
     * wrote itself here, and a handover to another thread happens-before that thread's work.
     */
    Thread owner;

    // The owner's.
    long elapsed;
    /** Slot heads, level by level, from index {@link #PAD}. */
    final TimerEntry[] slots = new TimerEntry[PAD + TimerWheel.LEVELS * TimerWheel.SLOTS + PAD];
    /** Slot tails, as {@code slots}: a level-0 slot moves to the expired list whole. */
    final TimerEntry[] slotTails = new TimerEntry[PAD + TimerWheel.LEVELS * TimerWheel.SLOTS + PAD];
    /** One bitmap of occupied slots per level, from index {@link #PAD}. */
    final long[] occupied = new long[PAD + TimerWheel.LEVELS + PAD];
    TimerEntry expiredHead;
    TimerEntry expiredTail;
    /**
     * The heads of the staged batches' lists (see "Batches"), from index {@link #PAD}; the open
     * one's: openHead.
     */
    final TimerEntry[] batchHeads = new TimerEntry[PAD + TimerWheel.BATCHES + PAD];
    /**
     * Per batch, from index {@link #PAD}: no entry of it has a shorter delay (early after a
     * cancel, never late).
     */
    final long[] batchDelays = new long[PAD + TimerWheel.BATCHES + PAD];
    /** Per staged batch, from index {@link #PAD}: the reading its entries count from. */
    final long[] batchReadings = new long[PAD + TimerWheel.BATCHES + PAD];
    /** The batch that entries armed for the owner's next reading go to. */
    int openBatch;
    /** The open batch's head: see {@link TimerWheel.OpenHead}. */
    TimerWheel.OpenHead openHead = new TimerWheel.OpenHead();
    /** The oldest staged batch; {@code openBatch} if none is staged. */
    int oldestBatch;
    /**
     * No staged batch has an entry due before this clock reading (early after a cancel);
     * Nanos.FOREVER if none.
     */
    long stagedDue = Nanos.FOREVER;

    // Written by the owner, opaque; read by any thread.
    /** Entries linked: armed, or cancelled elsewhere and not unlinked yet. */
    int pending;
    long fired;
    /** Cancelled by the owner, or by another thread and unlinked since. */
    long cancelled;
    /** No armed entry is due before this clock reading; {@code Nanos.FOREVER} if none is armed. */
    long nextDue = Nanos.FOREVER;
    /** Of the entries cancelled by other threads, those the owner unlinked. */
    long drainedElsewhere;

    // Written by other threads.
    /** Entries other threads cancelled, for the owner to unlink: a Treiber stack. */
    volatile TimerEntry cancelledHead;
    /** Entries other threads cancelled, ever: an atomic count. */
    volatile long cancelledElsewhere;

    TimerWheelFields(Clock clock, Runnable wakeDriver) {
        this.clock = clock;
        this.origin = clock.nanoTime();
        this.wakeDriver = wakeDriver;
        this.owner = Thread.currentThread();
    }

    // The figures other threads read: the owner writes them with opaque stores, each a value the
    // wheel really had; readers take them as they find them (metrics and hints, see TimerWheel).

    final int pendingOpaque() {
        return (int) PENDING.getOpaque(this);
    }

    final void setPendingOpaque(int n) {
        PENDING.setOpaque(this, n);
    }

    final long firedOpaque() {
        return (long) FIRED.getOpaque(this);
    }

    final void setFiredOpaque(long n) {
        FIRED.setOpaque(this, n);
    }

    final long cancelledOpaque() {
        return (long) CANCELLED.getOpaque(this);
    }

    final void setCancelledOpaque(long n) {
        CANCELLED.setOpaque(this, n);
    }

    final long nextDueOpaque() {
        return (long) NEXT_DUE.getOpaque(this);
    }

    final void setNextDueOpaque(long due) {
        NEXT_DUE.setOpaque(this, due);
    }

    final long drainedElsewhereOpaque() {
        return (long) DRAINED_ELSEWHERE.getOpaque(this);
    }

    final void setDrainedElsewhereOpaque(long n) {
        DRAINED_ELSEWHERE.setOpaque(this, n);
    }

    // The stack of entries other threads cancelled: pushed by CAS, emptied by the owner's exchange.

    final boolean casCancelledHead(TimerEntry expected, TimerEntry head) {
        return CANCELLED_HEAD.compareAndSet(this, expected, head);
    }

    final TimerEntry getAndSetCancelledHead(TimerEntry head) {
        return (TimerEntry) CANCELLED_HEAD.getAndSet(this, head);
    }

    final long cancelledElsewhereOpaque() {
        return (long) CANCELLED_ELSEWHERE.getOpaque(this);
    }

    final void getAndIncrementCancelledElsewhere() {
        CANCELLED_ELSEWHERE.getAndAdd(this, 1L);
    }
}

