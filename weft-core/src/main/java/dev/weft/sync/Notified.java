package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.task.Droppable;

/**
 * {@link Notify#notified()}: the future, and its node in the notify's queue while it waits.
 * {@code status} moves from IDLE to DONE or QUEUED on the first poll, and from QUEUED to
 * NOTIFIED_ONE, NOTIFIED_ALL or DROPPED under the notify's lock; the poller reads it without the
 * lock, hence volatile, and moves a notification it sees to DONE.
 */
final class Notified extends WaitQueue.Waiter<Notified> implements Future<Void>, Droppable {

    static final int IDLE = 0;
    static final int QUEUED = 1;
    static final int NOTIFIED_ONE = 2;
    static final int NOTIFIED_ALL = 3;
    static final int DONE = 4;
    static final int DROPPED = 5;

    private static final Poll<Void> READY = Poll.ready(null);

    private final Notify notify;
    /** The notify's count of notifyWaiters calls when this future was created. */
    final int createdAt;
    volatile int status;

    Notified(Notify notify, int createdAt) {
        this.notify = notify;
        this.createdAt = createdAt;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        int s = status;
        if (s == IDLE) {
            s = notify.takeOrQueue(this, cx.waker());
            if (s == DONE) {
                status = DONE;
                return READY;
            }
            return Poll.pending(); // QUEUED, set under the lock
        }
        if (s == QUEUED) {
            Waker w = cx.waker();
            if (w != waker) { // the future moved to another task
                notify.setWaker(this, w);
            }
            s = status;
        }
        switch (s) {
            case QUEUED:
                return Poll.pending();
            case NOTIFIED_ONE:
            case NOTIFIED_ALL:
                status = DONE;
                return READY;
            case DONE:
                throw new IllegalStateException("a notified() future was polled after it "
                        + "completed");
            default:
                throw new IllegalStateException("a notified() future was polled after it was "
                        + "dropped");
        }
    }

    /** Leaves the queue, or passes on a notifyOne its task never saw. */
    @Override
    public void drop() {
        int s = status;
        if (s == QUEUED || s == NOTIFIED_ONE) {
            notify.leave(this);
        } else if (s == IDLE) {
            status = DROPPED;
        }
    }
}
