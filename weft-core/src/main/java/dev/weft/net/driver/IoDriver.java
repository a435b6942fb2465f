package dev.weft.net.driver;

import dev.weft.time.driver.Nanos;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A runtime's I/O driver (seed section 3.2.4.4.1, the event loop): one {@link Selector} for all
 * of the runtime's channels, which the runtime's threads take turns to select on. Readiness
 * events become wakes of the tasks waiting on the channels ({@link Registration}).
 *
 * <h2>Who selects</h2>
 * One selector per runtime, held by one thread at a time ({@link #tryAcquire()}): a thread with
 * nothing to run selects instead of parking, bounded by its next timer, and a busy thread selects
 * without blocking every few dozen tasks; the others park as usual. Nobody holds the driver while
 * running tasks, so a thread stuck in a long poll never keeps readiness from an idle thread, which
 * takes the driver and serves it (the runtime hands the driver on when its holder goes back to
 * work). Why not one selector per worker (Netty, cats-effect): a channel would belong to one
 * worker, whose long poll would then hold its readiness back for as long, while the other workers
 * idle (cats-effect's issue 4628).
 *
 * <h2>Waking a select</h2>
 * {@link #wakeup()} is gated: at most one {@code Selector.wakeup()} system call per select, however
 * many threads ask (Netty's {@code nextWakeupNanos} gate): the first sets {@code wakeupPending},
 * and the selecting thread clears it after its select returns. A wakeup that comes before the
 * select makes it return at once (the selector's own semantics), so none is lost.
 * {@link #interestArmed()} wakes a select in progress only, since a select that starts later
 * picks up the new interest itself.
 *
 * <h2>Surviving the selector</h2>
 * A select that returns early with nothing selected, neither woken nor interrupted, 512 times in
 * a row is the epoll spin bug: the driver builds a new selector and registers every channel again
 * with its interest, as Netty does. So does an {@code IOException} from a select. No registration
 * is lost: the driver keeps its own set of them.
 *
 * <h2>Threads</h2>
 * {@link #select} and {@link #selectNow} by the holder only; the rest from any thread. The figures
 * are written by the holder and read by anyone (opaque).
 */
public final class IoDriver {

    static final System.Logger LOGGER = System.getLogger(IoDriver.class.getName());

    /** Premature returns in a row after which the selector is rebuilt (Netty's default). */
    static final int SPIN_THRESHOLD = 512;

    private static final VarHandle HOLDER;
    private static final VarHandle WAKEUP_PENDING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HOLDER = lookup.findVarHandle(IoDriver.class, "holder", int.class);
            WAKEUP_PENDING = lookup.findVarHandle(IoDriver.class, "wakeupPending", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Every channel registered and not closed: to close at shutdown and to register again. */
    private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final Wakers woken = new Wakers();
    private final Selection selection;
    private final Runnable wakeToSelect;

    /** Created with the first registration; replaced when rebuilt. */
    private volatile Selector selector;
    /** 1 while a thread holds the driver. */
    @SuppressWarnings("unused") // accessed through HOLDER
    private volatile int holder;
    /** Set while the holder is in a select that may block: an armed interest must wake it. */
    private volatile boolean blocking;
    /** Set by the first wakeup since the holder's last select returned; see "Waking a select". */
    @SuppressWarnings("unused") // accessed through WAKEUP_PENDING
    private volatile boolean wakeupPending;
    private volatile boolean closed;
    /** Premature returns in a row; the holder's. */
    private int spins;

    /**
     * Creates a driver; its selector opens with the first registration.
     *
     * @param wakeToSelect called when a poller arms an interest while no thread holds the driver:
     *                     the runtime wakes an idle thread, which selects as it parks again
     */
    public IoDriver(Runnable wakeToSelect) {
        this(Selection.JDK, wakeToSelect);
    }

    /**
     * Creates a driver whose selects and wakeups go through {@code selection}: the tests' seam,
     * to play a selector that spins or fails, and to count wakeups.
     */
    IoDriver(Selection selection, Runnable wakeToSelect) {
        this.selection = selection;
        this.wakeToSelect = wakeToSelect;
    }

    /** How the driver calls its selector. */
    interface Selection {
        /** The JDK's selects, as they are. */
        Selection JDK = new Selection() {
            @Override
            public int select(Selector s, Consumer<SelectionKey> action, long timeoutMs)
                    throws IOException {
                return s.select(action, timeoutMs);
            }

            @Override
            public int selectNow(Selector s, Consumer<SelectionKey> action) throws IOException {
                return s.selectNow(action);
            }

            @Override
            public void wakeup(Selector s) {
                s.wakeup();
            }
        };

        /** As {@code Selector.select(Consumer, long)}: a timeout of 0 waits without limit. */
        int select(Selector s, Consumer<SelectionKey> action, long timeoutMs) throws IOException;

        /** As {@code Selector.selectNow(Consumer)}. */
        int selectNow(Selector s, Consumer<SelectionKey> action) throws IOException;

        /** As {@code Selector.wakeup()}: the system call the gate saves. */
        void wakeup(Selector s);
    }

    // ---------------------------------------------------------------- accessors, by memory mode

    private boolean casHolder(int expected, int next) {
        return HOLDER.compareAndSet(this, expected, next);
    }

    private void setHolderRelease(int value) {
        HOLDER.setRelease(this, value);
    }

    private boolean getAndSetWakeupPending(boolean value) {
        return (boolean) WAKEUP_PENDING.getAndSet(this, value);
    }

    // ---------------------------------------------------------------- registering

    /**
     * Tells whether any channel was ever registered: until then there is no selector, and the
     * runtime's threads park as if there were no driver.
     *
     * @return true once the selector exists (and until the driver closes)
     */
    public boolean isActive() {
        return selector != null && !closed;
    }

    /**
     * Registers a non-blocking channel, with no interest yet (pollers arm it).
     *
     * @param channel  the channel, in non-blocking mode
     * @param readOp   the operation that means READABLE ({@code OP_READ} or {@code OP_ACCEPT})
     * @param writeOp  the operation that means WRITABLE ({@code OP_WRITE} or {@code OP_CONNECT}),
     *                 or 0
     * @return the registration
     * @throws IOException if the selector cannot be opened, or the driver is closed
     */
    public Registration register(SelectableChannel channel, int readOp,
            int writeOp) throws IOException {
        Registration r = new Registration(this, channel, readOp, writeOp);
        synchronized (this) {
            if (closed) {
                throw new IOException("the runtime is shut down: no channel can be registered");
            }
            if (selector == null) {
                selector = Selector.open();
            }
            registrations.add(r);
            r.setKey(channel.register(selector, 0, r));
        }
        return r;
    }

    /** A registration closes: forget it. */
    void deregister(Registration r) {
        registrations.remove(r);
    }

    /**
     * Tells how many channels are registered now.
     *
     * @return the count
     */
    public int registered() {
        return registrations.size();
    }

    // ---------------------------------------------------------------- holding and selecting

    /**
     * Takes the driver, if nobody holds it.
     *
     * @return true if the calling thread holds it now
     */
    public boolean tryAcquire() {
        return !closed && casHolder(0, 1);
    }

    /** Gives the driver back; the holder only. */
    public void release() {
        setHolderRelease(0);
    }

    /**
     * Selects, waiting up to {@code timeoutNanos} for readiness or a {@link #wakeup()}, and wakes
     * the tasks whose channels are ready (after the select, never inside it). The holder only. A
     * pending interrupt makes the select return at once: the caller clears it.
     *
     * @param timeoutNanos the longest wait; {@link Nanos#FOREVER} to wait for readiness or a wakeup
     * @return the number of channels reported ready
     */
    public int select(long timeoutNanos) {
        return doSelect(timeoutNanos, true);
    }

    /**
     * Wakes the tasks whose channels are ready now, without waiting. The holder only.
     *
     * @return the number of channels reported ready
     */
    public int selectNow() {
        return doSelect(0, false);
    }

    private int doSelect(long timeoutNanos, boolean mayBlock) {
        Selector s = selector;
        if (s == null || closed) {
            return 0;
        }
        int events;
        long started = mayBlock ? System.nanoTime() : 0;
        try {
            if (mayBlock) {
                blocking = true;
                VarHandle.fullFence(); // before the select: pairs with interestArmed's fence
                events = selection.select(s, onSelected, timeoutMillis(timeoutNanos));
            } else {
                events = selection.selectNow(s, onSelected);
            }
        } catch (IOException failure) {
            blocking = false;
            LOGGER.log(System.Logger.Level.WARNING, "the selector failed; building a new one",
                    failure);
            rebuild();
            return 0;
        } catch (ClosedSelectorException closedMeanwhile) {
            blocking = false;
            return 0; // the runtime terminated, or a rebuild replaced it
        } finally {
            blocking = false;
        }
        boolean wokenUp = getAndSetWakeupPending(false);
        if (mayBlock) {
            checkSpin(events, wokenUp, started, timeoutNanos);
        }
        woken.wakeAll(); // after the select: a waker may register a channel or arm an interest
        return events;
    }

    private void onSelected(SelectionKey k) {
        if (k.attachment() instanceof Registration r && k.isValid()) {
            r.onReady(k.readyOps(), woken);
        }
    }

    private static long timeoutMillis(long timeoutNanos) {
        if (timeoutNanos == Nanos.FOREVER) {
            return 0; // Selector.select's "no limit"
        }
        // Rounded up, at least 1 ms: 0 would mean "no limit", and an early return is a spin.
        return Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
    }

    /** A select that returned early with nothing to show, 512 times in a row: the epoll bug. */
    private void checkSpin(int events, boolean woken, long started, long timeoutNanos) {
        if (events > 0 || woken || Thread.currentThread().isInterrupted()) {
            spins = 0;
            return;
        }
        long waited = System.nanoTime() - started;
        if (timeoutNanos != Nanos.FOREVER && waited >= timeoutNanos - 1_000_000) {
            spins = 0; // it waited its time out
            return;
        }
        if (++spins >= SPIN_THRESHOLD) {
            LOGGER.log(System.Logger.Level.WARNING, "the selector returned " + spins
                    + " times in a row with nothing selected; building a new one");
            rebuild();
        }
    }

    /**
     * Replaces the selector with a new one and registers every channel there with its interest.
     * The holder only.
     */
    void rebuild() {
        spins = 0;
        Selector old = selector;
        Selector fresh;
        try {
            fresh = Selector.open();
        } catch (IOException e) {
            LOGGER.log(System.Logger.Level.ERROR,
                    "cannot open a new selector; keeping the old one", e);
            return;
        }
        synchronized (this) {
            if (closed) {
                closeQuietly(fresh);
                return;
            }
            for (Registration r : registrations) {
                SelectionKey k = r.key();
                int interest = 0;
                try {
                    interest = k.interestOps();
                } catch (java.nio.channels.CancelledKeyException cancelled) {
                    // a channel closing: registered again with no interest, closed by its owner
                }
                try {
                    r.setKey(r.channel().register(fresh, interest, r));
                } catch (IOException e) {
                    LOGGER.log(System.Logger.Level.WARNING, "cannot register " + r
                            + " with the new selector", e);
                }
            }
            selector = fresh;
        }
        closeQuietly(old);
    }

    private static void closeQuietly(Selector s) {
        try {
            s.close();
        } catch (IOException e) {
            LOGGER.log(System.Logger.Level.WARNING, "closing a selector failed", e);
        }
    }

    // ---------------------------------------------------------------- waking a select

    /**
     * Ends the holder's select, or the next one if none is in progress; at most one system call
     * per select however many threads call it (see "Waking a select"). Any thread.
     */
    public void wakeup() {
        Selector s = selector;
        if (s != null && !getAndSetWakeupPending(true)) {
            selection.wakeup(s);
        }
    }

    /**
     * A poller armed an interest: a select in progress must start again to see it (a select
     * reads the interests when it starts); with no thread holding the driver, the runtime wakes
     * one to select, or the interest could wait for a thread that never comes (every thread of
     * the runtime parked before it had a selector, say). A holder that has not started its select
     * yet reads the interest when it does. Any thread.
     */
    void interestArmed() {
        VarHandle.fullFence(); // after arming: pairs with doSelect's fence after setting blocking
        if (blocking) {
            wakeup();
        } else if ((int) HOLDER.getVolatile(this) == 0) {
            // Pairs with tryAcquire's CAS: a thread that took the driver before this read sets
            // blocking and fences after it, so its select reads the interest armed above.
            wakeToSelect.run();
        }
    }

    // ---------------------------------------------------------------- closing

    /** The runtime terminated: closes every channel still registered, then the selector. */
    public void close() {
        List<Registration> left;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            left = new ArrayList<>(registrations);
        }
        for (Registration r : left) {
            r.close();
        }
        Selector s = selector;
        if (s != null) {
            closeQuietly(s);
        }
    }

    @Override
    public String toString() {
        return "IoDriver[" + registrations.size() + " registered" + (closed ? ", closed" : "")
                + "]";
    }
}
