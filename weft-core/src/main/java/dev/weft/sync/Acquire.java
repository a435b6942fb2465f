package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.task.Droppable;

/**
 * {@link Semaphore#acquire(int)}: the future, and its entry in the semaphore's queue while it
 * waits (one object, as Tokio's acquire future is its own queue node).
 *
 * <p>{@code status} moves IDLE to DONE (the permits were free), or IDLE to QUEUED and then, under
 * the semaphore's lock, to GRANTED (a release handed it the last permit it needed), CLOSED or
 * DROPPED; GRANTED becomes DONE when the poller sees it. The poller reads it without the lock,
 * hence volatile: the releaser's write under the lock happens-before the poll that reads GRANTED,
 * and with it everything the releasing holder wrote before its release.
 */
final class Acquire extends WaitQueue.Waiter<Acquire> implements Future<Void>, Droppable {

    static final int IDLE = 0;
    static final int QUEUED = 1;
    static final int GRANTED = 2;
    static final int DONE = 3;
    static final int CLOSED = 4;
    static final int DROPPED = 5;

    private static final Poll<Void> READY = Poll.ready(null);

    final Semaphore semaphore;
    /** The permits asked for. */
    final int needed;
    /** See the class comment. */
    volatile int status;
    /** Permits still to be handed to this waiter; guarded by the semaphore's lock. */
    int remaining;

    Acquire(Semaphore semaphore, int needed) {
        this.semaphore = semaphore;
        this.needed = needed;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        switch (status) {
            case IDLE:
                return firstPoll(cx);
            case QUEUED:
                Waker w = cx.waker();
                if (w != waker) { // the future moved to another task: read under the lock
                    semaphore.setWaker(this, w);
                }
                return afterQueued();
            default:
                return afterQueued();
        }
    }

    private Poll<Void> firstPoll(Context cx) {
        if (semaphore.tryTake(needed)) {
            status = DONE;
            return READY;
        }
        // QUEUED is set under the lock, before any release can grant: see Semaphore#enqueue
        return afterStatus(semaphore.enqueue(this, cx.waker()));
    }

    private Poll<Void> afterQueued() {
        return afterStatus(status);
    }

    private Poll<Void> afterStatus(int s) {
        switch (s) {
            case QUEUED:
                return Poll.pending();
            case GRANTED:
                status = DONE;
                return READY;
            case DONE:
                throw new IllegalStateException("an acquire of " + needed
                        + " permits was polled after it completed");
            case CLOSED:
                status = CLOSED;
                throw Semaphore.closed();
            default:
                throw new IllegalStateException("an acquire of " + needed
                        + " permits was polled after it was dropped");
        }
    }

    /** Leaves the queue, or gives back permits it got and did not hand out; see Semaphore. */
    @Override
    public void drop() {
        int s = status;
        if (s == QUEUED && semaphore.leave(this)) {
            return;
        }
        if (status == GRANTED) {
            status = DROPPED;
            semaphore.release(needed);
        } else if (status == IDLE) {
            status = DROPPED;
        }
    }

    @Override
    public String toString() {
        return "Acquire[" + needed + " permits of " + semaphore + "]";
    }
}
