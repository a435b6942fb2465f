package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.task.Droppable;
import java.util.Objects;

/**
 * Every message to every receiver (Tokio's {@code broadcast}): a bounded ring of the last
 * {@code capacity} messages, and receivers that each read it at their own pace. A sender never
 * waits: a receiver that falls more than {@code capacity} messages behind loses the oldest, and
 * its next receive fails with {@link LaggedException} saying how many; the receive after that
 * continues from the oldest message kept.
 *
 * <pre>{@code
 * Broadcast<Event> events = new Broadcast<>(256);
 * Broadcast.Receiver<Event> mine = events.subscribe();   // sees what is sent from now on
 * events.send(event);
 * Future<Event> next = mine.receive();
 * }</pre>
 *
 * <p>{@link #close()} ends it: later sends fail with {@link ChannelClosedException}, and a receive
 * completes with null once its receiver has had every message sent before. A receive dropped
 * while it waits takes nothing.
 *
 * @param <T> the messages, not null
 */
public final class Broadcast<T> {

    private final Object[] ring;
    /** Sequence number of the next message; guarded by this broadcast's monitor. */
    private long tail;
    private boolean closed;
    private int receivers;
    /** Wakes the receivers waiting for a message, at every send and at the close. */
    private final Notify sent = new Notify();

    /**
     * Creates a broadcast.
     *
     * @param capacity the messages kept for receivers that fall behind, 1 or more
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public Broadcast(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more, was " + capacity);
        }
        this.ring = new Object[capacity];
    }

    /**
     * Sends a message to every receiver. Never waits.
     *
     * @param value the message, not null
     * @return the receivers subscribed so far (which may not all be in use)
     * @throws NullPointerException   if {@code value} is null
     * @throws ChannelClosedException if the broadcast is closed
     */
    public int send(T value) {
        Objects.requireNonNull(value, "value");
        int n;
        synchronized (this) {
            if (closed) {
                throw new ChannelClosedException("the broadcast is closed: the message was not "
                        + "sent");
            }
            ring[(int) (tail % ring.length)] = value;
            tail++;
            n = receivers;
        }
        sent.notifyWaiters();
        return n;
    }

    /**
     * A receiver of the messages sent from now on.
     *
     * @return the receiver
     */
    public Receiver<T> subscribe() {
        synchronized (this) {
            receivers++;
            return new Subscription<>(this, tail);
        }
    }

    /** Closes the broadcast: later sends fail; receivers get null once they have had the rest. */
    public void close() {
        synchronized (this) {
            closed = true;
        }
        sent.notifyWaiters();
    }

    @Override
    public synchronized String toString() {
        return "Broadcast[" + tail + " sent, " + receivers + " receivers"
                + (closed ? ", closed" : "") + "]";
    }

    /**
     * One receiver's place in a {@link Broadcast}.
     *
     * @param <T> the messages
     */
    public interface Receiver<T> {

        /**
         * Receives this receiver's next message.
         *
         * @return a future of the message; of null once the broadcast is closed and this
         *         receiver has had every message; failing with {@link LaggedException} if
         *         messages it had not received were overwritten
         */
        Future<T> receive();
    }

    /** A receiver: the sequence number of its next message. Used by one task at a time. */
    private static final class Subscription<T> implements Receiver<T> {
        private final Broadcast<T> broadcast;
        private long next;

        Subscription(Broadcast<T> broadcast, long next) {
            this.broadcast = broadcast;
            this.next = next;
        }

        @Override
        public Future<T> receive() {
            return new Receive<>(this);
        }

        /**
         * Takes this receiver's next message if there is one, under the broadcast's monitor.
         *
         * @return the message, or null if none yet; {@code END} if closed and read up
         */
        @SuppressWarnings("unchecked") // the ring holds only Ts
        Object take() {
            Broadcast<T> b = broadcast;
            synchronized (b) {
                long oldest = b.tail - b.ring.length;
                if (next < oldest) {
                    long missed = oldest - next;
                    next = oldest;
                    throw new LaggedException(missed);
                }
                if (next < b.tail) {
                    T value = (T) b.ring[(int) (next % b.ring.length)];
                    next++;
                    return value;
                }
                return b.closed ? END : null;
            }
        }
    }

    /** What {@link Subscription#take()} returns once the broadcast is closed and read up. */
    private static final Object END = new Object();

    /** {@link Receiver#receive()}: the next message, or a wait for the next send. */
    private static final class Receive<T> implements Future<T>, Droppable {
        private final Subscription<T> receiver;
        private Future<Void> waiting;
        private boolean completed;

        Receive(Subscription<T> receiver) {
            this.receiver = receiver;
        }

        @Override
        @SuppressWarnings("unchecked") // take() returns a T unless END or null
        public Poll<T> poll(Context cx) {
            if (completed) {
                throw new IllegalStateException("a broadcast receive was polled after it "
                        + "completed");
            }
            while (true) {
                Object taken;
                try {
                    taken = receiver.take();
                } catch (LaggedException lagged) {
                    completed = true;
                    drop();
                    throw lagged;
                }
                if (taken != null) {
                    completed = true;
                    drop();
                    return Poll.ready(taken == END ? null : (T) taken);
                }
                if (waiting == null) {
                    // Made before the look again: a send from now on completes it.
                    waiting = receiver.broadcast.sent.notified();
                    continue;
                }
                if (!waiting.poll(cx).isReady()) {
                    return Poll.pending();
                }
                waiting = null;
            }
        }

        @Override
        public void drop() {
            Future<Void> w = waiting;
            waiting = null;
            Droppable.dropIfDroppable(w);
        }
    }
}
