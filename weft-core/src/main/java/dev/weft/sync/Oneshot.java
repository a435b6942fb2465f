package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.concurrent.SpinLock;
import dev.weft.task.Droppable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One value, sent once, for the tasks that wait for it: a reply to a request, the result of a
 * job handed to another task.
 *
 * <pre>{@code
 * Oneshot<String> reply = new Oneshot<>();
 * runtime.spawn(work.map(result -> reply.send(result)));
 * Future<String> answer = reply.receive();
 * }</pre>
 *
 * <p>{@link #send} succeeds once; every {@link #receive()} future, made before or after, completes
 * with that value (null is a value here: a {@code Oneshot<Void>} is a one-time signal).
 * {@link #close()} before a send fails the receives with {@link ChannelClosedException} and makes
 * {@code send} return false; after a send it changes nothing. A receive dropped while it waits
 * leaves the queue.
 *
 * @param <T> the value
 */
public final class Oneshot<T> {

    private static final int EMPTY = 0;
    private static final int SENT = 1;
    private static final int CLOSED = 2;

    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(Oneshot.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 free, 1 held; see {@link SpinLock}. Guards the queue; state changes under it too. */
    private volatile int lock;
    /** EMPTY, then SENT or CLOSED for good; written under the lock after {@code value}. */
    private volatile int state;
    private T value;
    private final WaitQueue<Receiver<T>> waiting = new WaitQueue<>();

    /** Creates an empty oneshot. */
    public Oneshot() {
    }

    /**
     * Sends the value, if nothing was sent and it is not closed, and wakes every waiting receive.
     *
     * @param value the value; may be null
     * @return true if this call sent it
     */
    public boolean send(T value) {
        return end(SENT, value);
    }

    /**
     * Waits for the value.
     *
     * @return a future of the value, which fails with {@link ChannelClosedException} if the
     *         oneshot is closed before a send
     */
    public Future<T> receive() {
        return new Receiver<>(this);
    }

    /** Closes the oneshot unless a value was sent: waiting and later receives fail. */
    public void close() {
        end(CLOSED, null);
    }

    /** Whether a value was sent: for {@link CancellationToken#isCancelled()}. */
    boolean isSent() {
        return state == SENT;
    }

    @Override
    public String toString() {
        int s = state;
        return "Oneshot[" + (s == SENT ? "sent" : s == CLOSED ? "closed" : "empty") + "]";
    }

    private boolean end(int how, T sent) {
        Receiver<T> woken;
        lock();
        try {
            if (state != EMPTY) {
                return false;
            }
            value = sent;
            state = how; // a volatile write after the value: a poller that reads SENT sees it
            woken = waiting.removeAll();
            for (Receiver<T> r = woken; r != null; r = r.next) {
                r.queued = false;
            }
        } finally {
            unlock();
        }
        WaitQueue.wakeAll(woken);
        return true;
    }

    private void lock() {
        SpinLock.lock(LOCK, this);
    }

    private void unlock() {
        SpinLock.unlock(LOCK, this);
    }

    /**
     * A receive: the future, and its node in the queue while it waits. Its fields are guarded by
     * the oneshot's lock; the poller decides by the oneshot's state, read first without it.
     */
    private static final class Receiver<T> extends WaitQueue.Waiter<Receiver<T>>
            implements Future<T>, Droppable {
        private final Oneshot<T> oneshot;
        private boolean queued;
        private boolean done;

        Receiver(Oneshot<T> oneshot) {
            this.oneshot = oneshot;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("a oneshot's receive was polled after it "
                        + "completed");
            }
            Oneshot<T> o = oneshot;
            int s = o.state;
            if (s == EMPTY) {
                o.lock();
                try {
                    s = o.state;
                    if (s == EMPTY) {
                        if (queued) {
                            waker = cx.waker();
                        } else {
                            queued = true;
                            o.waiting.addLast(this, cx.waker());
                        }
                        return Poll.pending();
                    }
                } finally {
                    o.unlock();
                }
            }
            done = true;
            if (s == CLOSED) {
                throw new ChannelClosedException("the oneshot was closed before a value was "
                        + "sent");
            }
            return Poll.ready(o.value);
        }

        /** Leaves the queue if it waits. */
        @Override
        public void drop() {
            Oneshot<T> o = oneshot;
            o.lock();
            try {
                if (queued) {
                    queued = false;
                    o.waiting.remove(this);
                    waker = null;
                }
            } finally {
                o.unlock();
            }
        }
    }
}
