package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.task.Droppable;

/**
 * {@link Channel#send}: the future, and its node in the channel's queue of waiting senders.
 *
 * <p>{@code status} moves from IDLE to SENT, CLOSED or QUEUED on the first poll, and from QUEUED
 * to SENT (a receiver or the buffer took the message), CLOSED or DROPPED, always under the
 * channel's lock; the poller reads it without the lock, hence volatile.
 *
 * @param <T> the message
 */
final class Send<T> extends WaitQueue.Waiter<Send<T>>
        implements Future<Void>, Droppable {

    static final int IDLE = 0;
    static final int QUEUED = 1;
    static final int SENT = 2;
    static final int CLOSED = 3;
    static final int DROPPED = 4;

    private static final Poll<Void> READY = Poll.ready(null);

    private final Channel<T> channel;
    /** The message until it is taken; guarded by the channel's lock once queued. */
    private T value;
    volatile int status;

    Send(Channel<T> channel, T value) {
        this.channel = channel;
        this.value = value;
    }

    /** Hands the message over (to the buffer or a receiver), under the lock. */
    T takeValueLocked() {
        T v = value;
        value = null;
        return v;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        int s = status;
        if (s == IDLE) {
            return after(channel.sendOrQueue(this, cx.waker()));
        }
        if (s == QUEUED) {
            Waker w = cx.waker();
            if (w != waker) { // the future moved to another task
                channel.setWaker(this, w);
            }
            s = status;
        }
        return after(s);
    }

    private Poll<Void> after(int s) {
        switch (s) {
            case QUEUED:
                return Poll.pending();
            case SENT:
                return READY;
            case CLOSED:
                throw channel.closedToSends();
            default:
                throw new IllegalStateException("a send was polled after it was dropped");
        }
    }

    /** Leaves the queue, its message unsent; a message taken already stays sent. */
    @Override
    public void drop() {
        int s = status;
        if (s == QUEUED) {
            channel.leave(this);
        } else if (s == IDLE) {
            status = DROPPED;
            value = null;
        }
    }
}
