package dev.weft;

import dev.weft.runtime.ThreadContext;
import dev.weft.task.Droppable;
import dev.weft.task.ResourceHolder;
import dev.weft.time.Clock;
import dev.weft.time.driver.ClockReading;
import dev.weft.time.driver.Nanos;
import dev.weft.time.driver.TimerEntry;
import dev.weft.time.driver.TimerScope;
import java.time.Duration;
import java.time.Instant;

/**
 * The part every timer future shares (a sleep, a timeout, an interval): a deadline fixed when the
 * future is created and bound to the runtime's clock when first polled, and the
 * {@link TimerEntry} that wakes the polling task at it.
 *
 * <h2>Binding</h2>
 * A deadline counts from the future's creation, as Tokio's do: {@code sleep(d)} completes no
 * earlier than d after the call that created it. Created on a thread that drives a runtime, it
 * is read on that runtime's clock; created elsewhere, on the system clock. On a thread that drives
 * a runtime on the system clock, a delay counts from that thread's next clock reading instead of
 * a reading of its own, which saves one per timer (see {@link ClockReading}): the timer is never
 * early, and late at most by the rest of the poll that created it and the few polls until that
 * reading. A poll on that thread before the reading arms the entry to count from it; a poll on
 * another thread before it takes a reading of its own, later still. The first poll binds
 * it to the clock of the runtime polling it: the same clock keeps the deadline as it is; another
 * one (a manual clock, for a sleep created outside its runtime) counts the whole delay from that
 * poll, since the real time that passed in between means nothing on it.
 *
 * <h2>Holding the entry</h2>
 * The entry is armed on the first poll that finds the deadline ahead, in the polling thread's
 * wheel, and held by the task being polled (see {@link ThreadContext#holder()}), so that the task's
 * end cancels it; it is let go once due. The entry is the alarm itself, as in Netty's and Tokio's
 * timers: one object per timer, not two. A future that moves to another task while armed (rare:
 * it would have to be handed over between polls) gets a fresh entry there, a separate object,
 * and the old one is cancelled: the old task keeps it on its list, which only that task's thread
 * may touch, until it ends. So does a timer armed again before its wheel let go of it (after a
 * cancel from another thread).
 *
 * <h2>Threads</h2>
 * Like any future, polled by one thread at a time; the fields are the poller's.
 */
abstract class Alarm extends TimerEntry implements Droppable {

    /**
     * The clock {@code due} is read on: the runtime's, or the system clock for a timer created
     * outside any runtime until a runtime binds it; null for an instant not yet bound.
     */
    private Clock clock;
    /** The deadline, on {@code clock}; while {@code reading} is awaited, the delay instead. */
    private long due;
    /** A reading of {@code clock} no later than now: at creation, or when bound. */
    private long readAt;
    /** {@code sleepUntil}'s instant, until bound; null otherwise. */
    private Instant instant;
    /** Whether {@code clock} is the runtime's own: bound on the first poll at the latest. */
    private boolean bound;
    /**
     * The reading of the creating thread the delay counts from, until the deadline is known; null
     * after, and for a timer that read the clock itself.
     */
    private ClockReading reading;
    /**
     * The entry; while {@code reading} is awaited, null or armed to count from it
     * (TimerEntry#armAtReading).
     */
    private TimerEntry entry;
    /** The holder the entry was armed under; the entry is that holder's for good. */
    private ResourceHolder entryHolder;

    /** A deadline {@code delay} after now. */
    Alarm(Duration delay) {
        ThreadContext cx = ThreadContext.current();
        TimerScope scope = cx != null ? cx.timers() : null;
        long delayNanos = Nanos.of(delay);
        this.clock = scope != null ? scope.clock() : Clock.system();
        this.bound = scope != null;
        if (scope != null && delayNanos > 0 && (reading = scope.promiseReading()) != null) {
            this.due = delayNanos; // a deadline once the reading is known: see "Binding"
            return;
        }
        this.readAt = clock.nanoTime();
        this.due = Nanos.add(readAt, delayNanos);
    }

    /** A deadline at a wall-clock instant. */
    Alarm(Instant instant) {
        this.instant = instant;
    }

    /**
     * The deadline, bound to the clock of the polling thread's runtime on first call.
     *
     * @param cx the polling thread's context
     * @return a reading of the runtime's clock
     */
    final long due(ThreadContext cx) {
        if (!bound) {
            bind(cx.timers().clock());
        }
        if (reading != null) {
            countFromReading(cx);
        }
        return due;
    }

    /**
     * Turns the delay into a deadline: from the promised reading, taken now if it was not yet (on
     * the creating thread, that reading stages the entry if armed for it), or from a reading of
     * this thread, no earlier, if another thread has yet to take it.
     */
    private void countFromReading(ThreadContext cx) {
        TimerScope scope = cx.timers();
        ClockReading promised = reading;
        long now = promised.isFilled() ? 0 : scope.readClock();
        boolean fromPromise = promised.isFilled();
        long at = fromPromise ? promised.nanos() : now;
        reading = null;
        readAt = at;
        due = Nanos.add(at, due);
        if (entry != null) { // armed to count from the reading
            if (fromPromise) {
                entry.setDeadline(due); // its wheel counts it from that same reading plus the delay
            } else {
                finish(cx); // still waiting for the other thread's reading: a fresh entry instead
                entry = null;
            }
        }
    }

    /**
     * Arms, or keeps armed, the entry of a timer polled on the thread whose reading it waits
     * for, before that thread took it: its delay counts from that reading.
     *
     * @return false if the deadline has to be known now instead
     */
    private boolean waitsForReading(ThreadContext cx, Waker waker) {
        ClockReading promised = reading;
        TimerScope scope = cx.timers();
        if (!scope.isNextReading(promised)) {
            return false; // taken already, or another thread's
        }
        ResourceHolder holder = cx.holder();
        TimerEntry e = entry;
        if (e == null) {
            e = entry = freshEntry();
            entryHolder = holder;
            e.armAtReading(scope.wheel(), due, waker);
            if (holder != null) {
                holder.hold(e);
            }
            return true;
        }
        // Nothing fires an entry before it is placed; a cancel from another thread may have taken
        // it.
        return entryHolder == holder && e.rewake(waker);
    }

    /**
     * An entry to arm: this alarm itself, unless a task holds it or its wheel has yet to let go of
     * it.
     */
    private TimerEntry freshEntry() {
        return heldBy() == null && isFree() ? this : new TimerEntry();
    }

    private void bind(Clock runtimeClock) {
        long now = runtimeClock.nanoTime();
        if (instant != null) {
            due = Nanos.add(now, Nanos.between(runtimeClock.instant(), instant));
            instant = null;
        } else if (runtimeClock != clock) {
            due = Nanos.add(now, Nanos.subtract(due, readAt)); // the whole delay, from now
        }
        // The same clock keeps the deadline: it counts from creation.
        clock = runtimeClock;
        readAt = now;
        bound = true;
    }

    /** Moves the deadline, for an interval's next tick; {@code now} is a fresh clock reading. */
    final void moveDue(long newDue, long now) {
        due = newDue;
        readAt = now;
    }

    /**
     * Tells whether the deadline has come; if not, arms (or keeps armed) the entry to wake
     * {@code waker} at it. Once due, the entry is cancelled and let go.
     *
     * <p>No clock is read here (but by a timer whose promised reading this thread has to take
     * first, or another thread has yet to take: see "Binding"): a deadline no later than the last
     * reading (a sleep of zero, an instant passed) is due at once, and any other is armed, which
     * the wheel refuses if its tick is processed already. So a deadline that passed between the
     * last reading and this poll (a sleep polled long after its creation) waits for the wheel's
     * next turn, as in Tokio: at the latest before its worker parks, or 61 ticks of its worker on.
     *
     * @param cx    the polling thread's context
     * @param waker the waker of this poll
     * @return true if due
     */
    final boolean isDue(ThreadContext cx, Waker waker) {
        if (reading != null && waitsForReading(cx, waker)) {
            return false;
        }
        long deadline = due(cx);
        ResourceHolder holder = cx.holder();
        TimerEntry e = entry;
        if (e != null) {
            if (e.deadline() == deadline) {
                if (e.hasFired()) {
                    finish(cx);
                    return true;
                }
                if (entryHolder == holder && e.isArmed()) {
                    if (e.rewake(waker)) {
                        return false;
                    }
                    finish(cx); // fired since the check above
                    return true;
                }
            }
            // armed under another task (see "Holding the entry"), or for an earlier deadline
            e.cancel();
            if (entryHolder != holder) {
                e = null; // the other task's for good
            } else if (!e.isFree()) {
                if (holder != null) {
                    holder.letGo(e); // its wheel's thread unlinks it later: a fresh one instead
                }
                e = null;
            }
        }
        if (deadline <= readAt) {
            finish(cx);
            return true;
        }
        if (e == null) {
            e = entry = freshEntry();
            entryHolder = holder;
        }
        if (!e.arm(cx.timers().wheel(), deadline, waker)) {
            finish(cx); // due by the ticks the wheel has processed already
            return true;
        }
        if (holder != null && e.heldBy() == null) {
            holder.hold(e);
        }
        return false;
    }

    /**
     * The deadline came, or the timer is no longer needed: cancel the entry and let it go.
     *
     * @param cx the calling thread's context, or null outside any runtime
     */
    final void finish(ThreadContext cx) {
        TimerEntry e = entry;
        if (e == null) {
            return;
        }
        e.cancel();
        if (cx != null && entryHolder != null && cx.holder() == entryHolder) {
            entryHolder.letGo(e);
        }
    }

    /** A combinator dropped the future: the timer is no longer needed. */
    @Override
    public void drop() {
        finish(ThreadContext.current());
    }

    /**
     * Returns the context of the calling thread, which must be polling a task or the future given
     * to {@code blockOn}.
     *
     * @param what names the timer, for the message
     * @return the context
     * @throws IllegalStateException if the thread drives no runtime
     */
    static ThreadContext pollingContext(String what) {
        ThreadContext cx = ThreadContext.current();
        if (cx == null) {
            throw new IllegalStateException(what + " was polled on thread '"
                    + Thread.currentThread().getName() + "', which runs no Weft runtime: a timer "
                    + "is polled by a task, or by the future given to blockOn");
        }
        return cx;
    }
}
