package dev.weft.time.driver;

import dev.weft.Waker;
import dev.weft.task.Droppable;
import dev.weft.task.ResourceHolder;
import dev.weft.time.Clock;
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
 * is read on that runtime's clock; created elsewhere, on the system clock. The first poll binds
 * it to the clock of the runtime polling it: the same clock keeps the deadline as it is; another
 * one (a manual clock, for a sleep created outside its runtime) counts the whole delay from that
 * poll, since the real time that passed in between means nothing on it.
 *
 * <h2>Holding the entry</h2>
 * The entry is armed on the first poll that finds the deadline ahead, in the polling thread's
 * wheel, and held by the task being polled (see {@link TimerScope#holder()}), so that the task's
 * end cancels it; it is let go once due. A future that moves to another task while armed (rare:
 * it would have to be handed over between polls) gets a fresh entry there, and the old one is
 * cancelled: the old task keeps it on its list, which only that task's thread may touch, until
 * it ends.
 *
 * <h2>Threads</h2>
 * Like any future, polled by one thread at a time; the fields are the poller's.
 */
abstract class Alarm implements Droppable {

    /** The clock the deadline was fixed on, or null for an instant ({@code sleepUntil}). */
    private final Clock createdOn;
    private final long createdAt;
    private final long delay;
    private final Instant instant;

    private boolean bound;
    private long due;
    private TimerEntry entry;
    /** The holder the entry was armed under; the entry is that holder's for good. */
    private ResourceHolder entryHolder;

    /** A deadline {@code delay} after now. */
    Alarm(Duration delay) {
        TimerScope scope = TimerScope.current();
        this.createdOn = scope != null ? scope.clock() : Clock.system();
        this.createdAt = createdOn.nanoTime();
        this.delay = Nanos.of(delay);
        this.instant = null;
    }

    /** A deadline at a wall-clock instant. */
    Alarm(Instant instant) {
        this.createdOn = null;
        this.createdAt = 0;
        this.delay = 0;
        this.instant = instant;
    }

    /**
     * The deadline, bound to the scope's clock on first call.
     *
     * @return a reading of the runtime's clock
     */
    final long due(TimerScope scope) {
        if (!bound) {
            due = bind(scope.clock());
            bound = true;
        }
        return due;
    }

    private long bind(Clock clock) {
        if (instant != null) {
            return Nanos.add(clock.nanoTime(), Nanos.between(clock.instant(), instant));
        }
        return Nanos.add(clock == createdOn ? createdAt : clock.nanoTime(), delay);
    }

    /** Moves the deadline, for an interval's next tick. The entry must not be armed. */
    final void moveDue(long newDue) {
        due = newDue;
    }

    /**
     * Tells whether the deadline has come; if not, arms (or keeps armed) the entry to wake
     * {@code waker} at it. Once due, the entry is cancelled and let go.
     *
     * @param scope the polling thread's scope
     * @param waker the waker of this poll
     * @return true if due
     */
    final boolean isDue(TimerScope scope, Waker waker) {
        long deadline = due(scope);
        TimerEntry e = entry;
        if (e != null && e.hasFired() && e.deadline() == deadline) {
            finish(scope);
            return true;
        }
        if (scope.clock().nanoTime() >= deadline) {
            finish(scope); // cancels it if armed: the wheel has not got to it yet
            return true;
        }
        ResourceHolder holder = scope.holder();
        if (e != null && entryHolder == holder && e.isArmed() && e.deadline() == deadline) {
            if (e.rewake(waker)) {
                return false;
            }
            finish(scope); // fired since the check above
            return true;
        }
        if (e != null && entryHolder != holder) {
            e.cancel(); // armed under another task: see "Holding the entry"
            e = null;
        }
        if (e == null) {
            e = entry = new TimerEntry();
            entryHolder = holder;
        }
        e.cancel(); // armed for an earlier deadline: an interval moved on
        if (!e.arm(scope.wheel(), deadline, waker)) {
            finish(scope); // due by the ticks the wheel has processed already
            return true;
        }
        if (holder != null && e.heldBy() == null) {
            holder.hold(e);
        }
        return false;
    }

    /** The deadline came, or the timer is no longer needed: cancel the entry and let it go. */
    final void finish(TimerScope scope) {
        TimerEntry e = entry;
        if (e == null) {
            return;
        }
        e.cancel();
        if (scope != null && entryHolder != null && scope.holder() == entryHolder) {
            entryHolder.letGo(e);
        }
    }

    /** A combinator dropped the future: the timer is no longer needed. */
    @Override
    public void drop() {
        finish(TimerScope.current());
    }
}
