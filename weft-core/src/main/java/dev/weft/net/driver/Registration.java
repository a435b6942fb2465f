package dev.weft.net.driver;

import dev.weft.Waker;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * One channel registered with an {@link IoDriver}: what the selector last said of it, and the
 * wakers of the task waiting to read and of the task waiting to write (one of each at a time, as
 * a socket has one reader and one writer).
 *
 * <h2>Readiness</h2>
 * One {@code long}: bit {@link #READABLE} (readable, or a connection to accept), bit
 * {@link #WRITABLE} (writable, or a connect finished), and above them a tick that every event
 * increments. A poller that sees its bit tries the system call; if the call would block, it
 * clears the bit, but only if the tick is still the one it saw ({@link #clearReadiness}): an
 * event that came in between (new data) is not erased by a reader that read before it (the ABA
 * Tokio's readiness word guards with the same tick). Readiness starts set, so the first call is
 * tried at once.
 *
 * <h2>Interest</h2>
 * A selector reports a channel only for the operations in its key's interest, and reports it on
 * every select while the condition lasts (level-triggered). So interest is armed by a poller that
 * has to wait, and taken off by the selector's thread when it reports the channel with nobody
 * waiting: a read interest stays on while a reader keeps waiting (a busy connection arms it once,
 * not once per read), a write interest goes with each report (writability is the rule, so it is
 * armed only while a writer is held back). Arming from another thread than the selector's lets
 * the driver wake a select in progress (see {@link IoDriver#interestArmed()}).
 *
 * <h2>No lost readiness</h2>
 * The poller publishes its waker, then arms interest, then reads the readiness word again; the
 * selector's thread publishes readiness, then takes the waker. Volatile accesses on both sides:
 * either the poller sees the readiness (and retries the call), or the selector sees the waker
 * (and wakes it). The selector's thread takes a read interest off only after finding no waker,
 * then looks for a waker once more ({@link #onReady}): either it sees a waker that came in
 * between and arms again, or that waker's poller sees the interest off and arms it itself.
 *
 * <h2>Threads</h2>
 * {@link #onReady} runs on the thread selecting, which holds the driver; the rest on any thread.
 * Closing wakes both wakers; their polls then find the channel closed.
 */
public final class Registration {

    /** Readiness bit: readable, or a connection to accept. */
    public static final int READABLE = 1;
    /** Readiness bit: writable, or a connect finished. */
    public static final int WRITABLE = 2;
    /** {@link #pollReady}'s answer when the caller must wait: its waker is registered. */
    public static final long NOT_READY = -1;

    private static final int BITS = READABLE | WRITABLE;
    private static final long TICK = 4;

    private static final VarHandle READINESS;
    private static final VarHandle READER;
    private static final VarHandle WRITER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            READINESS = lookup.findVarHandle(Registration.class, "readiness", long.class);
            READER = lookup.findVarHandle(Registration.class, "reader", Waker.class);
            WRITER = lookup.findVarHandle(Registration.class, "writer", Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IoDriver driver;
    private final SelectableChannel channel;
    /** The selector operation that means READABLE for this channel (read or accept). */
    private final int readOp;
    /** The selector operation that means WRITABLE for this channel (connect, then write). */
    private volatile int writeOp;

    /** The key in the driver's current selector: replaced when the driver rebuilds it. */
    private volatile SelectionKey key;
    /** Ready bits and tick; see "Readiness". Accessed through {@link #READINESS} too. */
    private volatile long readiness = BITS;
    @SuppressWarnings("unused") // accessed through READER
    private volatile Waker reader;
    @SuppressWarnings("unused") // accessed through WRITER
    private volatile Waker writer;
    /** Whether the read operation is in the key's interest; see "Interest". */
    private volatile boolean readArmed;
    private volatile boolean closed;

    Registration(IoDriver driver, SelectableChannel channel, int readOp, int writeOp) {
        this.driver = driver;
        this.channel = channel;
        this.readOp = readOp;
        this.writeOp = writeOp;
    }

    // ---------------------------------------------------------------- accessors, by memory mode

    private boolean casReadiness(long expected, long next) {
        return READINESS.compareAndSet(this, expected, next);
    }

    private Waker getAndSetWaker(int direction, Waker w) {
        return (Waker) (direction == READABLE ? READER : WRITER).getAndSet(this, w);
    }

    private void setWakerVolatile(int direction, Waker w) {
        (direction == READABLE ? READER : WRITER).setVolatile(this, w);
    }

    private boolean casWaker(int direction, Waker expected, Waker next) {
        return (direction == READABLE ? READER : WRITER).compareAndSet(this, expected, next);
    }

    // ---------------------------------------------------------------- pollers

    /**
     * Tells whether {@code direction} is ready, by what the selector last said; if not, registers
     * {@code waker} to be woken once it is, arms the interest, and looks once more.
     *
     * @param direction {@link #READABLE} or {@link #WRITABLE}
     * @param waker     the polling task's waker
     * @return the readiness word to hand to {@link #clearReadiness} if the call then would block;
     *         or {@link #NOT_READY}: wait for the waker (which may come spuriously)
     */
    public long pollReady(int direction, Waker waker) {
        long r = readiness;
        if ((r & direction) != 0 || closed) {
            return r;
        }
        setWakerVolatile(direction, waker);
        arm(direction);
        r = readiness; // after the waker is published: see "No lost readiness"
        if ((r & direction) != 0 || closed) {
            return r;
        }
        return NOT_READY;
    }

    /**
     * The system call would block: forgets the readiness {@code observed} said, unless an event
     * came since (its tick moved).
     *
     * @param direction {@link #READABLE} or {@link #WRITABLE}
     * @param observed  what {@link #pollReady} returned before the call
     */
    public void clearReadiness(int direction, long observed) {
        long r = readiness;
        while ((r & ~BITS) == (observed & ~BITS) && (r & direction) != 0) {
            if (casReadiness(r, r & ~direction)) {
                return;
            }
            r = readiness;
        }
    }

    /**
     * A future waiting on this channel was dropped (its task ended, it lost a select, its timeout
     * expired): forgets its waker, if it is still the one registered.
     *
     * @param direction {@link #READABLE} or {@link #WRITABLE}
     * @param waker     the waker that future registered
     */
    public void forget(int direction, Waker waker) {
        casWaker(direction, waker, null);
    }

    private void arm(int direction) {
        if (direction == READABLE) {
            if (readArmed) {
                return;
            }
            readArmed = true;
            addInterest(readOp);
        } else {
            addInterest(writeOp);
        }
        driver.interestArmed();
    }

    private void addInterest(int op) {
        while (!closed) {
            SelectionKey k = key;
            if (k == null) {
                return; // not keyed yet: the driver keys it right after creating it
            }
            try {
                k.interestOpsOr(op);
                return;
            } catch (CancelledKeyException rebuilt) {
                if (key == k) {
                    return; // cancelled for good: the channel is closing
                }
                // The driver rebuilt its selector meanwhile: arm the new key.
            }
        }
    }

    // ---------------------------------------------------------------- the selecting thread

    /**
     * The selector reported this channel: publishes the readiness, then takes the wakers it
     * satisfies into {@code woken}, and takes off the interests nobody waits for. Selecting
     * thread only.
     *
     * @param readyOps the key's ready operations
     * @param woken    collects the wakers to wake once the select is over
     */
    void onReady(int readyOps, Wakers woken) {
        int bits = ((readyOps & readOp) != 0 ? READABLE : 0) | ((readyOps & writeOp) != 0
                ? WRITABLE : 0);
        long r;
        do {
            r = readiness;
        } while (!casReadiness(r, (((r & ~BITS) + TICK) & ~BITS) | (r & BITS) | bits));
        SelectionKey k = key;
        if ((bits & READABLE) != 0) {
            Waker w = getAndSetWaker(READABLE, null);
            if (w != null) {
                woken.add(w);
            } else {
                // Nobody reads: stop hearing about it until somebody does (see "Interest").
                interestOff(k, readOp);
                readArmed = false;
                Waker late = getAndSetWaker(READABLE, null);
                if (late != null) {
                    woken.add(late); // a reader came in between: it may have seen the interest on
                }
            }
        }
        if ((bits & WRITABLE) != 0) {
            interestOff(k, writeOp);
            Waker w = getAndSetWaker(WRITABLE, null);
            if (w != null) {
                woken.add(w);
            }
        }
    }

    private static void interestOff(SelectionKey k, int op) {
        if (k == null) {
            return; // not keyed yet
        }
        try {
            k.interestOpsAnd(~op);
        } catch (CancelledKeyException closing) {
            // the channel is closing: nothing to take off
        }
    }

    // ---------------------------------------------------------------- keys and closing

    /**
     * A connect finished: from now on WRITABLE means writable, with {@code op} (the connect's
     * interest goes). The connecting task only.
     *
     * @param op the operation that means WRITABLE now ({@code OP_WRITE})
     */
    public void connected(int op) {
        interestOff(key, writeOp);
        writeOp = op;
    }

    SelectionKey key() {
        return key;
    }

    void setKey(SelectionKey k) {
        key = k;
    }

    SelectableChannel channel() {
        return channel;
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the channel and deregisters it; the tasks waiting on it are woken, and their polls
     * find it closed. Idempotent; any thread.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        driver.deregister(this);
        try {
            channel.close(); // cancels the key too
        } catch (IOException e) {
            IoDriver.LOGGER.log(System.Logger.Level.WARNING, "closing " + channel + " failed", e);
        }
        wakeBoth();
    }

    private void wakeBoth() {
        for (int direction : new int[] {READABLE, WRITABLE}) {
            Waker w = getAndSetWaker(direction, null);
            if (w != null) {
                w.wake();
            }
        }
    }

    @Override
    public String toString() {
        return "Registration[" + channel + (closed ? ", closed" : "") + "]";
    }
}
