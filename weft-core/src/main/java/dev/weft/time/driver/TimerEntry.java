package dev.weft.time.driver;

import dev.weft.Waker;
import dev.weft.task.TaskResource;

/**
 * One timer: a deadline and the waker to wake at it, linked into a slot of a {@link TimerWheel}
 * while armed. Allocated by the future that arms it (a sleep, a timeout, an interval), and
 * reusable by it: an interval re-arms the same entry for each tick.
 *
 * <h2>States</h2>
 * {@link #IDLE} (never armed) -> {@link #ARMED} (in a wheel) -> {@link #FIRED} (taken out by the
 * wheel, its waker woken) or {@link #CANCELLED} (taken out by {@link #cancel()}); from either
 * of the last two it may be armed again. Every transition is made under the lock of the wheel
 * that holds (or takes) the entry, so a fire and a cancel never both happen; the future that
 * owns the entry reads the state without the lock.
 *
 * <h2>Memory ordering</h2>
 * The state and the waker are volatile, for one race: a poll that gives the entry a new waker
 * while the wheel fires it. The poller writes the waker, then reads the state; the wheel writes
 * FIRED, then reads the waker. Sequential consistency of volatile accesses means that at least
 * one of the two sees the other's write: either the wheel wakes the new waker, or the poller sees
 * FIRED and completes without waiting (both may happen: a spurious wake, which is allowed).
 *
 * <h2>Threads</h2>
 * Arming and cancelling are done by the entry's owner: the thread polling the future that holds
 * it, or the thread ending the task that holds it (never at once: a task's claim orders them).
 * Firing is done by whichever thread advances the wheel. {@code wheel} is written by the
 * arming thread and read by the cancelling one, which the task's claim orders after it.
 */
public final class TimerEntry extends TaskResource {

    /** Never armed. */
    static final int IDLE = 0;
    /** In a wheel, waiting for its deadline. */
    static final int ARMED = 1;
    /** Taken out by its wheel at (or after) its deadline; its waker was woken. */
    static final int FIRED = 2;
    /** Taken out by {@link #cancel()} before its deadline. */
    static final int CANCELLED = 3;

    /**
     * Written under the wheel's lock; read without it by the owner. Starts {@link #IDLE} (0)
     * without a write: a volatile write in the constructor would cost a fence per timer.
     */
    volatile int state;
    /** Written by the owner; read and cleared by the wheel when it fires, under its lock. */
    volatile Waker waker;

    /** The wheel it was last armed in; see "Threads". */
    TimerWheel wheel;
    /** The deadline it was last armed for, on the wheel's clock; owner only. */
    long deadline;

    // Guarded by the lock of `wheel`.
    /** The wheel tick it fires at: its deadline, rounded up to a tick. */
    long tick;
    /** The slot index ({@link TimerWheel}) or {@link TimerWheel#EXPIRED} while armed. */
    int slot;
    TimerEntry previous;
    TimerEntry next;

    /** Creates an idle entry. */
    public TimerEntry() {
    }

    /**
     * Arms the entry in {@code into} to wake {@code w} at {@code deadlineNanos}. Owner only; the
     * entry must not be armed.
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

    /** Takes the entry out of its wheel if it is armed; idempotent. Owner only. */
    public void cancel() {
        TimerWheel w = wheel;
        if (w != null && state == ARMED) {
            w.cancel(this);
        }
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
