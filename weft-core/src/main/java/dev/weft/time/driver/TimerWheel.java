package dev.weft.time.driver;

import dev.weft.Waker;
import dev.weft.sync.SpinLock;
import dev.weft.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A hierarchical timing wheel (seed section 3.2.4.4.2, done as Varghese and Lauck describe, and
 * as Tokio and Kafka do): O(1) to arm and to cancel a timer, O(1) per timer to fire it, however
 * many are pending. One per thread that drives a runtime (each worker, a current-thread runtime's
 * owner, a {@code blockOn} caller), so that timers set on many workers never meet on one lock.
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
 * <h2>Advancing</h2>
 * {@link #fireDue} takes the earliest occupied slot while it starts no later than now: an entry
 * due at the slot's first tick is expired; any other (a slot of level 1 or more spans many ticks)
 * moves down to the level its deadline now calls for (a cascade: at most once per level per
 * entry). Expired entries wait on a list and are fired in batches: marked FIRED and their wakers
 * copied out under the lock, then woken after it is released, so that a waker (user code, or a
 * task's scheduling) never runs under the lock, and a cancel never waits for more than one batch.
 * A deadline is rounded up to a whole tick and a tick is processed only once the clock has
 * passed it: so a timer never fires early.
 *
 * <h2>Threads and memory ordering</h2>
 * Every change to the slots, the expired list and the entries' links is made under a
 * {@link SpinLock}: arming, by the thread that drives the wheel (its owner), uncontended but for
 * cancels and the rare foreign advance (a manual clock's auto-advance); cancelling, from any
 * thread (a task aborted from outside ends, and releases its timers, on the aborting thread);
 * firing, by the owner. The figures read without the lock ({@code pending}, {@code fired},
 * {@code cancelled}, {@code nextDue}) are written under it with opaque stores: metrics and hints,
 * each some value the wheel really had. {@code nextDue} may be early (after a cancel), never late
 * for the owner, which wrote every value that lowered it; a thread other than the owner that must
 * not miss an entry (a manual clock's listener) takes the lock instead ({@link #nextExpiry()}).
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
    /** {@link #nextDue()} and {@link #nextExpiry()} when no timer is armed. */
    public static final long NOTHING = Long.MAX_VALUE;

    private static final System.Logger LOGGER = System.getLogger(TimerWheel.class.getName());

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
     * Returns the clock deadlines are read on.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- arming and cancelling

    /**
     * Arms {@code e}, unless its deadline is due by the ticks processed already.
     *
     * @return false if due: nothing was armed
     */
    boolean insert(TimerEntry e, long deadlineNanos, Waker waker) {
        long tick = tickAtOrAfter(deadlineNanos);
        SpinLock.lock(LOCK, this);
        if (tick <= elapsed) {
            SpinLock.unlock(LOCK, this);
            return false;
        }
        e.wheel = this;
        e.tick = tick;
        long slotStart = place(e);
        PENDING.setOpaque(this, pending + 1);
        // The start of the entry's slot, not its deadline: the wheel must be processed then to
        // move it down a level (or fire it, at level 0), and nextExpiry() says the same.
        long due = nanosOfTick(slotStart);
        if (due < nextDue) {
            NEXT_DUE.setOpaque(this, due);
        }
        // The state last, with release: a thread that reads ARMED without the lock (isArmed, a
        // cancel's first check) then sees the count that includes the entry. Release suffices
        // otherwise: the arming thread is the one that polls the entry next (or hands the future
        // on through a release of its own), and every other reader takes the lock.
        ENTRY_WAKER.setRelease(e, waker);
        ENTRY_STATE.setRelease(e, TimerEntry.ARMED);
        SpinLock.unlock(LOCK, this);
        return true;
    }

    /** Takes {@code e} out if it is armed here; see {@link TimerEntry#cancel()}. */
    void cancel(TimerEntry e) {
        SpinLock.lock(LOCK, this);
        if (e.wheel == this && e.state == TimerEntry.ARMED) {
            unlink(e);
            int left = pending - 1;
            PENDING.setOpaque(this, left);
            CANCELLED.setOpaque(this, cancelled + 1);
            if (left == 0) {
                NEXT_DUE.setOpaque(this, NOTHING);
            }
            ENTRY_WAKER.setOpaque(e, (Waker) null); // the task it would wake may be collected now
            // Last, as in insert: whoever reads CANCELLED without the lock sees the counts after it.
            ENTRY_STATE.setRelease(e, TimerEntry.CANCELLED);
        }
        SpinLock.unlock(LOCK, this);
    }

    /** Cancels every armed entry: the runtime terminated, or the thread driving the wheel left. */
    public void cancelAll() {
        SpinLock.lock(LOCK, this);
        int n = cancelList(expiredHead);
        expiredHead = null;
        expiredTail = null;
        for (int level = 0; level < LEVELS; level++) {
            // Only the occupied slots, by their bitmap: an empty wheel costs six reads.
            for (long bits = occupied[PAD + level]; bits != 0; bits &= bits - 1) {
                int index = slotIndex(level, Long.numberOfTrailingZeros(bits));
                n += cancelList(slots[index]);
                slots[index] = null;
            }
            occupied[PAD + level] = 0;
        }
        PENDING.setOpaque(this, pending - n);
        CANCELLED.setOpaque(this, cancelled + n);
        NEXT_DUE.setOpaque(this, NOTHING);
        SpinLock.unlock(LOCK, this);
    }

    private static int cancelList(TimerEntry e) {
        int n = 0;
        while (e != null) {
            TimerEntry next = e.next;
            e.previous = null;
            e.next = null;
            ENTRY_STATE.setRelease(e, TimerEntry.CANCELLED);
            ENTRY_WAKER.setOpaque(e, (Waker) null);
            n++;
            e = next;
        }
        return n;
    }

    // ---------------------------------------------------------------- firing

    /**
     * Fires every entry due at {@code now}: takes it out, marks it FIRED and wakes its waker, in
     * batches of {@code batch.length} (see "Advancing").
     *
     * @param now   a reading of {@link #clock()}
     * @param batch scratch room of the calling thread for the wakers of one batch; left all null
     * @return the number of entries fired
     */
    public int fireDue(long now, Waker[] batch) {
        long nowTick = tickAtOrBefore(now);
        int total = 0;
        boolean expire = true;
        while (true) {
            int n = 0;
            SpinLock.lock(LOCK, this);
            if (expire) {
                expire = false;
                if (nowTick > elapsed) {
                    expireUpTo(nowTick);
                }
            }
            TimerEntry e;
            while (n < batch.length && (e = expiredHead) != null) {
                unlink(e);
                // The counts first, as in cancel; then FIRED, a volatile write, and the volatile
                // read of the waker after it: see TimerEntry's "Memory ordering".
                PENDING.setOpaque(this, pending - 1);
                FIRED.setOpaque(this, fired + 1);
                e.state = TimerEntry.FIRED;
                batch[n++] = e.waker;
                ENTRY_WAKER.setOpaque(e, (Waker) null);
            }
            int left = pending;
            long due = expiredHead != null ? now : left == 0 ? NOTHING : nanosOfTick(earliestSlotStart());
            NEXT_DUE.setOpaque(this, due);
            SpinLock.unlock(LOCK, this);
            for (int i = 0; i < n; i++) {
                wake(batch[i]);
                batch[i] = null;
            }
            total += n;
            if (n < batch.length) {
                return total;
            }
        }
    }

    private static void wake(Waker waker) {
        try {
            waker.wake();
        } catch (Throwable failure) {
            // A foreign waker failing must not keep the other timers from firing, nor kill the
            // thread driving the wheel; it is reported, not dropped.
            LOGGER.log(System.Logger.Level.ERROR, "a waker threw from wake() when its timer fired", failure);
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
            slots[index] = null;
            occupied[PAD + level] &= ~(1L << slot);
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
     * Returns a hint of when the wheel must next be processed, without the lock: the start of the
     * earliest occupied slot (an entry's deadline at level 0, a cascade above it); early after a
     * cancel, never late for the thread that drives the wheel (see "Threads and memory
     * ordering").
     *
     * @return a clock reading, or {@link #NOTHING} if no entry is armed
     */
    public long nextDue() {
        return (long) NEXT_DUE.getOpaque(this);
    }

    /**
     * Returns when the wheel must next be processed, under the lock, so exact for any thread: the
     * start of the earliest occupied slot. An entry of that slot is due then at level 0, and no
     * earlier above it (it moves down a level then).
     *
     * @return a clock reading, or {@link #NOTHING} if no entry is armed
     */
    public long nextExpiry() {
        SpinLock.lock(LOCK, this);
        long next;
        if (expiredHead != null) {
            next = nanosOfTick(elapsed);
        } else {
            long start = earliestSlotStart();
            next = start == NOTHING ? NOTHING : nanosOfTick(start);
        }
        SpinLock.unlock(LOCK, this);
        return next;
    }

    /**
     * Unparks the thread that drives this wheel if an entry is due now: a manual clock moved.
     * Takes the lock, so an entry armed before the move is never missed: either it is seen here,
     * or its arming thread reads the clock after the lock and finds it due itself.
     */
    public void wakeDriverIfDue() {
        if (clock.nanoTime() >= nextExpiry()) {
            wakeDriver.run();
        }
    }

    /**
     * Returns the number of armed entries.
     *
     * @return a recent count
     */
    public int pending() {
        return (int) PENDING.getOpaque(this);
    }

    /**
     * Returns the number of entries fired so far.
     *
     * @return a recent count
     */
    public long fired() {
        return (long) FIRED.getOpaque(this);
    }

    /**
     * Returns the number of entries cancelled while armed so far.
     *
     * @return a recent count
     */
    public long cancelled() {
        return (long) CANCELLED.getOpaque(this);
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
        if (e.slot == EXPIRED) {
            if (previous == null) {
                expiredHead = next;
            } else {
                previous.next = next;
            }
            if (next == null) {
                expiredTail = previous;
            } else {
                next.previous = previous;
            }
        } else {
            if (previous == null) {
                slots[e.slot] = next;
                if (next == null) {
                    int levelAndSlot = e.slot - PAD;
                    occupied[PAD + levelAndSlot / SLOTS] &= ~(1L << (levelAndSlot % SLOTS));
                }
            } else {
                previous.next = next;
            }
            if (next != null) {
                next.previous = previous;
            }
        }
        e.previous = null;
        e.next = null;
    }

    private void appendExpired(TimerEntry e) {
        e.slot = EXPIRED;
        e.next = null;
        e.previous = expiredTail;
        if (expiredTail == null) {
            expiredHead = e;
        } else {
            expiredTail.next = e;
        }
        expiredTail = e;
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

    /** The first tick of the earliest occupied slot, or {@link #NOTHING}. */
    private long earliestSlotStart() {
        int level = lowestOccupiedLevel();
        return level < 0 ? NOTHING : slotStart(level, nextOccupiedSlot(level));
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

    @Override
    public String toString() {
        return "TimerWheel[" + pending() + " pending, " + fired() + " fired, " + cancelled() + " cancelled]";
    }
}

/** The padding before the wheel's fields. */
@SuppressWarnings("unused")
abstract class TimerWheelPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/**
 * The wheel's fields, between the two paddings (fields of one class may be reordered, classes
 * not). The arrays are padded too, at both ends: their first and last elements are written as
 * often as the fields, and sit next to whatever the GC placed before and after them.
 */
abstract class TimerWheelFields extends TimerWheelPadBefore {

    /** Unused elements at each end of the arrays: 64 bytes of references or longs at least. */
    static final int PAD = 16;

    static final VarHandle LOCK;
    static final VarHandle PENDING;
    static final VarHandle FIRED;
    static final VarHandle CANCELLED;
    static final VarHandle NEXT_DUE;
    static final VarHandle ENTRY_STATE;
    static final VarHandle ENTRY_WAKER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOCK = lookup.findVarHandle(TimerWheelFields.class, "lock", int.class);
            PENDING = lookup.findVarHandle(TimerWheelFields.class, "pending", int.class);
            FIRED = lookup.findVarHandle(TimerWheelFields.class, "fired", long.class);
            CANCELLED = lookup.findVarHandle(TimerWheelFields.class, "cancelled", long.class);
            NEXT_DUE = lookup.findVarHandle(TimerWheelFields.class, "nextDue", long.class);
            ENTRY_STATE = lookup.findVarHandle(TimerEntry.class, "state", int.class);
            ENTRY_WAKER = lookup.findVarHandle(TimerEntry.class, "waker", Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Clock clock;
    /** The clock reading of tick 0. */
    final long origin;
    /** Unparks the thread that drives this wheel, so it fires what a moved manual clock made due. */
    final Runnable wakeDriver;

    /** 0 free, 1 held; see {@link SpinLock}. */
    volatile int lock;

    // Guarded by the lock.
    long elapsed;
    /** Slot heads, level by level, from index {@link #PAD}. */
    final TimerEntry[] slots = new TimerEntry[PAD + TimerWheel.LEVELS * TimerWheel.SLOTS + PAD];
    /** One bitmap of occupied slots per level, from index {@link #PAD}. */
    final long[] occupied = new long[PAD + TimerWheel.LEVELS + PAD];
    TimerEntry expiredHead;
    TimerEntry expiredTail;

    // Written under the lock, opaque; read without it.
    int pending;
    long fired;
    long cancelled;
    /** No armed entry is due before this clock reading; {@code NOTHING} if none is armed. */
    long nextDue = TimerWheel.NOTHING;

    TimerWheelFields(Clock clock, Runnable wakeDriver) {
        this.clock = clock;
        this.origin = clock.nanoTime();
        this.wakeDriver = wakeDriver;
    }
}
