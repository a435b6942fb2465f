package dev.weft.time.driver;

import dev.weft.Waker;
import dev.weft.task.TaskResource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One timer: a deadline and the waker to wake at it, linked into a slot of a {@link TimerWheel}
 * while armed. The future that arms it (a sleep, a timeout, an interval) is one, and allocates
 * another only in rare cases (see {@code dev.weft.Alarm}); the entry is reusable: an interval
 * re-arms the same entry for each tick.
 *
 * <h2>States</h2>
 * {@link #IDLE} (never armed) -> {@link #ARMED} (in a wheel) -> {@link #FIRED} (taken out by the
 * wheel, its waker woken) or {@link #CANCELLED} (by {@link #cancel()}); from either of the last
 * two it may be armed again once its wheel let go of it ({@code wheel} back to null: at once,
 * but for a cancel from another thread than the wheel's, which the wheel's thread unlinks later).
 * A fire and a cancel from another thread race by CAS on the state, so exactly one happens; see
 * {@link TimerWheel}'s "Threads".
 *
 * <h2>Memory ordering</h2>
 * The state and the waker are volatile, for one race: a poll that gives the entry a new waker
 * while the wheel fires it. The poller writes the waker, then reads the state; the wheel CASes
 * the state to FIRED (a full fence), then reads the waker. Sequential consistency of volatile
 * accesses means that at least one of the two sees the other's write: either the wheel wakes the
 * new waker, or the poller sees FIRED and completes without waiting (both may happen: a spurious
 * wake, which is allowed).
 *
 * <h2>Threads</h2>
 * Arming and cancelling are done by the entry's holder: the thread polling the future that holds
 * it, or the thread ending the task that holds it (never at once: a task's claim orders them).
 * Firing is done by the thread that drives the wheel. {@code wheel} is written (release) by that
 * thread when the entry is armed and when the wheel lets go of it, and read (acquire) by the
 * holder.
 */
public class TimerEntry extends TaskResource {

    /** Never armed. */
    static final int IDLE = 0;
    /** In a wheel, waiting for its deadline. */
    static final int ARMED = 1;
    /** Taken out by its wheel at (or after) its deadline; its waker was woken. */
    static final int FIRED = 2;
    /** Taken out by {@link #cancel()} before its deadline. */
    static final int CANCELLED = 3;

    /**
     * Written by the wheel's thread, and CASed by a cancel from another thread; read by the
     * holder. Starts {@link #IDLE} (0)
     * without a write: a volatile write in the constructor would cost a fence per timer.
     */
    volatile int state;
    /** Written by the holder; read and cleared by the wheel's thread when it fires the entry. */
    volatile Waker waker;

    /** The wheel it is armed in, or that has yet to unlink it; null once free; see "Threads". */
    TimerWheel wheel;
    /** The link of its wheel's stack of entries cancelled by other threads; see TimerWheel. */
    TimerEntry nextCancelled;
    /** The deadline it was last armed for, on the wheel's clock; owner only. */
    long deadline;

    // The wheel's thread's.
    /**
     * The wheel tick it fires at: its deadline, rounded up to a tick; until placed, for an entry
     * armed by {@link #armAtReading}, its delay in nanoseconds.
     */
    long tick;
    /**
     * The slot index ({@link TimerWheel}), {@link TimerWheel#EXPIRED}, {@link TimerWheel#UNLINKED},
     * or a batch's ({@code TimerWheel.IN_BATCH - b}).
     */
    int slot;
    TimerEntry previous;
    TimerEntry next;

    private static final VarHandle STATE;
    private static final VarHandle WAKER;
    private static final VarHandle WHEEL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(TimerEntry.class, "state", int.class);
            WAKER = lookup.findVarHandle(TimerEntry.class, "waker", Waker.class);
            WHEEL = lookup.findVarHandle(TimerEntry.class, "wheel", TimerWheel.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Creates an idle entry. */
    public TimerEntry() {
    }

    // ---------------------------------------------------------------- accessors, by memory mode

    /** The fire of the wheel's thread against a cancel from another: exactly one CAS wins. */
    final boolean casState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    /** After the waker and the wheel: whoever reads the state with acquire (or a CAS) sees them. */
    final void setStateRelease(int next) {
        STATE.setRelease(this, next);
    }

    /** Arming: published by the state's release store that follows. */
    final void setWakerRelease(Waker w) {
        WAKER.setRelease(this, w);
    }

    /** Dropping the waker of an entry taken out: nobody reads it again but to drop it. */
    final void setWakerOpaque(Waker w) {
        WAKER.setOpaque(this, w);
    }

    /** The wheel's thread arms the entry or lets go of it: pairs with {@link #wheelAcquire()}. */
    final void setWheelRelease(TimerWheel w) {
        WHEEL.setRelease(this, w);
    }

    /**
     * The holder's read of the wheel it may have to cancel in: pairs with {@link #setWheelRelease}.
     */
    final TimerWheel wheelAcquire() {
        return (TimerWheel) WHEEL.getAcquire(this);
    }

    /**
     * Arms the entry in {@code into} to wake {@code w} at {@code deadlineNanos}, on the thread that
     * drives {@code into}. The entry must be free: see {@link #isFree()}.
     *
     * @param into          the wheel of the thread polling the owning future
     * @param deadlineNanos on the wheel's clock
     * @param w             the waker
     * @return false if the deadline is due already: nothing was armed
     */
    public boolean arm(TimerWheel into, long deadlineNanos, Waker w) {
        deadline = deadlineNanos;
        return into.insert(this, deadlineNanos, w);
    }

    /**
     * Arms the entry in {@code into} to wake {@code w} {@code delayNanos} after the next clock
     * reading of the thread that drives {@code into} (see {@link ClockReading}), on that thread.
     * The entry must be free; its {@link #deadline()} is unknown until then, and is for the
     * holder to set ({@link #setDeadline}) once it knows the reading.
     *
     * @param into       the wheel of the thread polling the owning future
     * @param delayNanos more than zero
     * @param w          the waker
     */
    public void armAtReading(TimerWheel into, long delayNanos, Waker w) {
        into.insertAtReading(this, delayNanos, w);
    }

    /**
     * Records the deadline the wheel gave an entry armed by {@link #armAtReading}: the reading it
     * waited for plus the delay. Owner only.
     *
     * @param deadlineNanos on the wheel's clock
     */
    public void setDeadline(long deadlineNanos) {
        deadline = deadlineNanos;
    }

    /**
     * Gives an armed entry the waker of the latest poll. Owner only.
     *
     * @param w the waker
     * @return false if the entry fired meanwhile (its deadline has passed); true if it is still
     *         armed and the wheel will wake {@code w}
     */
    public boolean rewake(Waker w) {
        if (waker != w) {
            waker = w; // volatile write, then the volatile read below: see "Memory ordering"
        }
        return state == ARMED;
    }

    /** Takes the entry out of its wheel if it is armed; idempotent. The holder, on any thread. */
    public void cancel() {
        TimerWheel w = wheelAcquire();
        if (w != null && state == ARMED) {
            w.cancel(this);
        }
    }

    /**
     * Tells whether the entry may be armed (again): it is in no wheel, and no wheel has yet to
     * unlink it.
     *
     * @return true if free
     */
    public boolean isFree() {
        return wheelAcquire() == null && state != ARMED;
    }

    /**
     * Tells whether the entry fired: its deadline has passed.
     *
     * @return true once fired, until armed again
     */
    public boolean hasFired() {
        return state == FIRED;
    }

    /**
     * Tells whether the entry is in a wheel.
     *
     * @return true while armed
     */
    public boolean isArmed() {
        return state == ARMED;
    }

    /**
     * Returns the deadline the entry was last armed for.
     *
     * @return nanoseconds on its wheel's clock
     */
    public long deadline() {
        return deadline;
    }

    /** The task holding the entry ended: the timer is no longer needed. */
    @Override
    protected void release() {
        cancel();
    }
}
