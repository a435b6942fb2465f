package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Waker;
import dev.weft.concurrent.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A channel between tasks, for any number of senders and receivers: bounded (a sender waits for
 * room), unbounded, or rendezvous (a sender waits for a receiver to take its message). Neither
 * side blocks a thread.
 *
 * <pre>{@code
 * Channel<String> jobs = Channel.bounded(16);
 * runtime.spawn(jobs.send("first").then(v -> jobs.send("second")));
 * Future<String> next = jobs.receive();
 * }</pre>
 *
 * <h2>Order and fairness</h2>
 * Messages are received in the order they were sent (per sender, and in the order the sends took
 * effect across senders). Waiting senders and waiting receivers are each served first come, first
 * served: a receiver that starts waiting is handed the next message directly, so a later receiver
 * cannot take it first; a sender waiting for room gets it in its turn.
 *
 * <h2>Closing</h2>
 * {@link #close()} refuses later sends ({@link ChannelClosedException}) and fails the senders
 * still waiting (their messages are not sent); the messages buffered already are still received,
 * and then {@link #receive()} completes with null. Null is never a message.
 *
 * <h2>Cancellation</h2>
 * A send dropped while it waits (its task aborted, a {@code select} it lost, a timeout that
 * expired) leaves the queue and its message is not sent; a send whose message was taken is
 * complete, dropped or not (so a task aborted while its send waited may have sent it). A receive
 * dropped while it waits leaves the queue; one dropped after a message was handed to it, before
 * its task took it, gives the message to the next waiting receiver, or back to the channel ahead
 * of the buffered messages (where it takes room like them): nothing is lost, though such a
 * message may then be received after messages sent later. Until the receives handed messages
 * have taken them, a closed channel does not count as drained.
 *
 * <h2>How it works</h2>
 * One spin lock guards a ring of buffered messages and two FIFO queues of waiting futures, which
 * are their own queue nodes. A waiting receiver means the buffer is empty; a waiting sender means
 * it is full (none buffered, for a rendezvous channel). Wakers are woken after the lock is let
 * go.
 *
 * @param <T> the messages
 */
public final class Channel<T> {

    private static final VarHandle LOCK;
    private static final VarHandle HANDED_OVER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOCK = lookup.findVarHandle(Channel.class, "lock", int.class);
            HANDED_OVER = lookup.findVarHandle(Channel.class, "handedOver", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Buffered messages at most; 0 for a rendezvous channel, MAX_VALUE for an unbounded one. */
    private final int capacity;
    /** 0 free, 1 held; see {@link SpinLock}. Guards every field below, and the futures' links. */
    private volatile int lock;
    /** The ring; grows for an unbounded channel. */
    private Object[] ring;
    private int head;
    private int count;
    /** Messages handed to receives that were dropped before taking them: received first. */
    private ArrayDeque<T> returned;
    /** Written under the lock; read without it by a receive that took a handed message. */
    private volatile boolean closed;
    /**
     * Messages handed to waiting receives whose tasks have not taken them yet: one may come back
     * (its receive dropped), so the channel is not drained until they are taken. Changed by
     * atomic adds, under the lock but for a receive taking its message.
     */
    private volatile int handedOver;
    private final WaitQueue<Send<T>> senders = new WaitQueue<>();
    private final WaitQueue<Receive<T>> receivers = new WaitQueue<>();

    private Channel(int capacity, int initialRing) {
        this.capacity = capacity;
        this.ring = new Object[initialRing];
    }

    /**
     * A channel that buffers up to {@code capacity} messages: a sender waits while it is full.
     *
     * @param capacity 1 or more
     * @param <T>      the messages
     * @return the channel
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public static <T> Channel<T> bounded(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more, was " + capacity
                    + " (Channel.rendezvous() buffers none)");
        }
        return new Channel<>(capacity, Math.min(capacity, 16)); // the ring grows up to it
    }

    /**
     * A channel that buffers every message: a send never waits.
     *
     * @param <T> the messages
     * @return the channel
     */
    public static <T> Channel<T> unbounded() {
        return new Channel<>(Integer.MAX_VALUE, 16);
    }

    /**
     * A channel that buffers nothing: a send waits until a receiver takes its message.
     *
     * @param <T> the messages
     * @return the channel
     */
    public static <T> Channel<T> rendezvous() {
        return new Channel<>(0, 0);
    }

    /**
     * Sends {@code value}: the future completes once the message is buffered or taken, and fails
     * with {@link ChannelClosedException} if the channel is closed first. It does nothing until
     * polled.
     *
     * @param value the message, not null
     * @return a future that completes once the message is sent
     * @throws NullPointerException if {@code value} is null
     */
    public Future<Void> send(T value) {
        return new Send<>(this, Objects.requireNonNull(value, "value"));
    }

    /**
     * Sends {@code value} if that needs no wait: a receiver waits for it, or the buffer has room.
     *
     * @param value the message, not null
     * @return true if sent; false if the channel is full (for a rendezvous channel: if no
     *         receiver waits)
     * @throws NullPointerException   if {@code value} is null
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean trySend(T value) {
        Objects.requireNonNull(value, "value");
        Receive<T> taker;
        lock();
        try {
            if (closed) {
                throw closedToSends();
            }
            taker = receivers.first();
            if (taker == null) {
                if (bufferedLocked() >= capacity) {
                    return false;
                }
                push(value);
                return true;
            }
            deliverLocked(taker, value);
        } finally {
            unlock();
        }
        taker.wakeAfterLock();
        return true;
    }

    /**
     * Receives the next message: the future completes with it, or with null once the channel is
     * closed and every buffered message was received. It does nothing until polled.
     *
     * @return a future of the next message, or null once closed and drained
     */
    public Future<T> receive() {
        return new Receive<>(this);
    }

    /**
     * Takes the next message if one is there: buffered, or offered by a waiting sender.
     *
     * @return the message, or null if none is there now (or the channel is closed and drained)
     */
    public T tryReceive() {
        Send<T> freed;
        T value;
        lock();
        try {
            if (isEmptyLocked()) {
                freed = senders.first(); // a rendezvous channel's waiting sender, if any
                if (freed == null) {
                    return null;
                }
                value = acceptLocked(freed);
            } else {
                value = takeLocked();
                freed = refillLocked();
            }
        } finally {
            unlock();
        }
        if (freed != null) {
            freed.wakeAfterLock();
        }
        return value;
    }

    /**
     * Closes the channel: later sends fail, waiting senders fail, waiting receivers complete with
     * null; buffered messages are still received. Idempotent.
     */
    public void close() {
        Send<T> failed;
        Receive<T> ended;
        lock();
        try {
            closed = true;
            failed = senders.removeAll();
            for (Send<T> s = failed; s != null; s = s.next) {
                s.status = Send.CLOSED;
            }
            // Waiting receives mean nothing is buffered; they end now unless a message handed to
            // another receive may still come back (see handedOver).
            ended = handedOver == 0 ? endReceiversLocked() : null;
        } finally {
            unlock();
        }
        WaitQueue.wakeAll(failed);
        WaitQueue.wakeAll(ended);
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed; // volatile, written under the lock: no need to take it to read
    }

    /**
     * The messages buffered now, not counting those waiting senders still hold.
     *
     * @return the buffered messages
     */
    public int size() {
        lock();
        try {
            return bufferedLocked();
        } finally {
            unlock();
        }
    }

    @Override
    public String toString() {
        String kind = capacity == 0 ? "rendezvous" : capacity == Integer.MAX_VALUE ? "unbounded"
                : "bounded(" + capacity + ")";
        return "Channel[" + kind + ", " + size() + " buffered" + (isClosed() ? ", closed" : "")
                + "]";
    }

    // ---------------------------------------------------------------- for Send and Receive

    /**
     * A send's poll while it is not queued: sends if it can, else queues {@code s}.
     *
     * @return the send's status: SENT, QUEUED or CLOSED
     */
    int sendOrQueue(Send<T> s, Waker waker) {
        Receive<T> taker;
        lock();
        try {
            if (closed) {
                s.status = Send.CLOSED;
                return Send.CLOSED;
            }
            taker = receivers.first();
            if (taker == null) {
                if (bufferedLocked() < capacity) {
                    push(s.takeValueLocked());
                    s.status = Send.SENT;
                    return Send.SENT;
                }
                s.status = Send.QUEUED;
                senders.addLast(s, waker);
                return Send.QUEUED;
            }
            deliverLocked(taker, s.takeValueLocked());
            s.status = Send.SENT;
        } finally {
            unlock();
        }
        taker.wakeAfterLock();
        return Send.SENT;
    }

    /**
     * A receive's poll while it is not queued: takes a message if there is one, else queues
     * {@code r} (or completes it with null if closed).
     *
     * @return the receive's status: DELIVERED (its value set), QUEUED or CLOSED
     */
    int receiveOrQueue(Receive<T> r, Waker waker) {
        Send<T> freed;
        lock();
        try {
            if (isEmptyLocked()) {
                freed = senders.first(); // a rendezvous channel's waiting sender
                if (freed == null) {
                    if (closed && handedOver == 0) {
                        r.status = Receive.CLOSED;
                        return Receive.CLOSED;
                    }
                    r.status = Receive.QUEUED;
                    receivers.addLast(r, waker);
                    return Receive.QUEUED;
                }
                r.value = acceptLocked(freed);
            } else {
                r.value = takeLocked();
                freed = refillLocked();
            }
            r.status = Receive.DELIVERED;
        } finally {
            unlock();
        }
        if (freed != null) {
            freed.wakeAfterLock();
        }
        return Receive.DELIVERED;
    }

    /** A later poll from another task: the waker to wake is that task's now. */
    void setWaker(Send<T> s, Waker waker) {
        lock();
        try {
            if (s.status == Send.QUEUED) {
                s.waker = waker;
            }
        } finally {
            unlock();
        }
    }

    /** A later poll from another task: the waker to wake is that task's now. */
    void setWaker(Receive<T> r, Waker waker) {
        lock();
        try {
            if (r.status == Receive.QUEUED) {
                r.waker = waker;
            }
        } finally {
            unlock();
        }
    }

    /** A waiting send dropped: leaves the queue, its message unsent. */
    void leave(Send<T> s) {
        lock();
        try {
            if (s.status == Send.QUEUED) {
                senders.remove(s);
                s.takeValueLocked();
                s.status = Send.DROPPED;
            }
        } finally {
            unlock();
        }
    }

    /**
     * A receive dropped: leaves the queue if it waits; if a message was handed to it, the message
     * goes to the next waiting receiver, or back in front of the buffered ones.
     */
    void leave(Receive<T> r) {
        Receive<T> taker = null;
        lock();
        try {
            if (r.status == Receive.QUEUED) {
                receivers.remove(r);
            } else if (r.status == Receive.DELIVERED) {
                T value = r.value;
                r.value = null;
                taker = receivers.first();
                if (taker != null) {
                    deliverLocked(taker, value);
                } else {
                    if (returned == null) {
                        returned = new ArrayDeque<>();
                    }
                    returned.addLast(value);
                }
                if (r.handed) {
                    r.handed = false;
                    HANDED_OVER.getAndAdd(this, -1); // in the buffer again, or handed on
                }
            } else {
                return;
            }
            r.status = Receive.DROPPED;
        } finally {
            unlock();
        }
        if (taker != null) {
            taker.wakeAfterLock();
        }
    }

    // ---------------------------------------------------------------- under the lock

    private boolean isEmptyLocked() {
        return bufferedLocked() == 0;
    }

    /** Messages buffered, those given back by dropped receives included: they take room too. */
    private int bufferedLocked() {
        return returned == null ? count : count + returned.size();
    }

    /** Hands {@code value} to the first waiting receiver, taking it out of the queue. */
    private void deliverLocked(Receive<T> taker, T value) {
        receivers.remove(taker);
        taker.value = value;
        taker.handed = true;
        HANDED_OVER.getAndAdd(this, 1);
        taker.status = Receive.DELIVERED; // read by its poller without the lock
    }

    /**
     * A receive's task took the message handed to it. If that was the last one out and the
     * channel is closed and empty, the receives still waiting end now.
     */
    void handedTaken() {
        if ((int) HANDED_OVER.getAndAdd(this, -1) != 1 || !closed) {
            return;
        }
        Receive<T> ended;
        lock();
        try {
            ended = handedOver == 0 && isEmptyLocked() ? endReceiversLocked() : null;
        } finally {
            unlock();
        }
        WaitQueue.wakeAll(ended);
    }

    /** Ends every waiting receive with null, under the lock; returns them, to wake after it. */
    private Receive<T> endReceiversLocked() {
        Receive<T> ended = receivers.removeAll();
        for (Receive<T> r = ended; r != null; r = r.next) {
            r.status = Receive.CLOSED;
        }
        return ended;
    }

    /** The next buffered message; the buffer is not empty. */
    @SuppressWarnings("unchecked") // the ring holds only Ts
    private T takeLocked() {
        if (returned != null && !returned.isEmpty()) {
            return returned.pollFirst();
        }
        T value = (T) ring[head];
        ring[head] = null;
        head = head + 1 == ring.length ? 0 : head + 1;
        count--;
        return value;
    }

    /** A buffered message was taken: the first waiting sender's message takes its place. */
    private Send<T> refillLocked() {
        Send<T> s = senders.first();
        if (s == null || bufferedLocked() >= capacity) {
            return null;
        }
        push(acceptLocked(s));
        return s;
    }

    /** Takes a waiting sender's message, out of the queue: its send is complete. */
    private T acceptLocked(Send<T> s) {
        senders.remove(s);
        s.status = Send.SENT; // read by its poller without the lock
        return s.takeValueLocked();
    }

    private void push(T value) {
        if (count == ring.length) {
            grow();
        }
        int tail = head + count;
        if (tail >= ring.length) {
            tail -= ring.length;
        }
        ring[tail] = value;
        count++;
    }

    /** Doubles the ring, up to the capacity, keeping the order. */
    private void grow() {
        Object[] bigger = new Object[(int) Math.min(capacity, Math.max(16L, ring.length * 2L))];
        int firstPart = Math.min(count, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, firstPart);
        System.arraycopy(ring, 0, bigger, firstPart, count - firstPart);
        ring = bigger;
        head = 0;
    }

    ChannelClosedException closedToSends() {
        return new ChannelClosedException("the channel is closed: the message was not sent");
    }

    private void lock() {
        SpinLock.lock(LOCK, this);
    }

    private void unlock() {
        SpinLock.unlock(LOCK, this);
    }
}
