package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.task.Droppable;

/**
 * {@link Channel#receive}: the future, and its node in the channel's queue of waiting receivers.
 *
 * <p>{@code status} moves from IDLE to DELIVERED (a message taken), CLOSED (closed and drained)
 * or QUEUED on the first poll, and from QUEUED to DELIVERED (a sender handed it a message),
 * CLOSED or DROPPED, under the channel's lock; the poller reads it without the lock, hence
 * volatile, and a DELIVERED read makes the message written before it visible. The poller then
 * moves DELIVERED or CLOSED to DONE.
 *
 * @param <T> the message
 */
final class Receive<T> extends WaitQueue.Waiter<Receive<T>>
        implements Future<T>, Droppable {

    static final int IDLE = 0;
    static final int QUEUED = 1;
    static final int DELIVERED = 2;
    static final int CLOSED = 3;
    static final int DONE = 4;
    static final int DROPPED = 5;

    private final Channel<T> channel;
    /** The message handed over, until the poller takes it; written under the channel's lock. */
    T value;
    /** Whether a sender handed the message to this waiting receive (counted in the channel). */
    boolean handed;
    volatile int status;

    Receive(Channel<T> channel) {
        this.channel = channel;
    }

    @Override
    public Poll<T> poll(Context cx) {
        int s = status;
        if (s == IDLE) {
            return after(channel.receiveOrQueue(this, cx.waker()));
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

    private Poll<T> after(int s) {
        switch (s) {
            case QUEUED:
                return Poll.pending();
            case DELIVERED:
                T v = value;
                value = null;
                status = DONE;
                if (handed) {
                    handed = false;
                    channel.handedTaken();
                }
                return Poll.ready(v);
            case CLOSED:
                status = DONE;
                return Poll.ready(null);
            case DONE:
                throw new IllegalStateException("a receive was polled after it completed");
            default:
                throw new IllegalStateException("a receive was polled after it was dropped");
        }
    }

    /** Leaves the queue; a message handed over and not taken goes back to the channel. */
    @Override
    public void drop() {
        int s = status;
        if (s == QUEUED || s == DELIVERED) {
            channel.leave(this);
        } else if (s == IDLE) {
            status = DROPPED;
        }
    }
}
