package dev.weft.runtime;

import dev.weft.net.driver.IoDriver;
import dev.weft.task.ResourceHolder;
import dev.weft.time.driver.TimerScope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where a thread that drives a runtime finds what it drives: the runtime, its own timer wheel
 * (through its {@link TimerScope}), the runtime's I/O driver, and the holder of what the poll in
 * progress acquires (the task being polled, or the future given to {@code blockOn}), which gives
 * it back when it ends. The one per-thread context of Weft, as Tokio has one {@code CONTEXT}.
 *
 * <h2>Finding it</h2>
 * {@link #current()}: a thread that drives one runtime for its whole life (a worker,
 * {@link ContextThread}) holds its context itself; any other thread that drives a runtime for a
 * while (a {@code blockOn} caller, a current-thread runtime's owner) {@link #enter}s a context
 * for the duration of the drive and {@link #exit}s it after, restoring the one it had (none,
 * unless drives nest, which the runtimes refuse). A thread outside any drive has none: a timer
 * polled there, or {@code Async.current()} called there, is an error.
 *
 * <h2>Threads</h2>
 * A context belongs to the one thread that drives it: the holder is written by that thread
 * around each poll, and read by the futures it polls, and sampled by the runtime's watch of long
 * polls ({@link #holderOpaque()}, {@link #pollsBegunOpaque()}). The runtime and the timer scope are
 * final.
 */
public final class ThreadContext extends ThreadContextHolder {

    // Padding after the holder, which the runner writes around every poll: the contexts of two
    // workers are created one after the other and may sit side by side in memory.
    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07;

    private static final ThreadLocal<ThreadContext> ENTERED = new ThreadLocal<>();

    private final RuntimeCore runtime;
    private final TimerScope timers;
    private final IoDriver io;

    /**
     * Creates the context of a thread that drives {@code runtime}.
     *
     * @param runtime the runtime
     * @param timers  the thread's timer scope: its wheel, on the runtime's clock
     * @param io      the runtime's I/O driver
     */
    public ThreadContext(RuntimeCore runtime, TimerScope timers, IoDriver io) {
        this.runtime = runtime;
        this.timers = timers;
        this.io = io;
    }

    /**
     * Returns the context of the calling thread.
     *
     * @return the context, or null if the thread drives no runtime now
     */
    public static ThreadContext current() {
        // A class check, then one load: see ContextThread.
        if (Thread.currentThread() instanceof ContextThread thread) {
            return thread.context();
        }
        return ENTERED.get();
    }

    /**
     * Makes {@code context} the calling thread's, for a drive.
     *
     * @param context the context of the drive
     * @return the context the thread had, to give to {@link #exit}
     */
    public static ThreadContext enter(ThreadContext context) {
        ThreadContext previous = ENTERED.get();
        ENTERED.set(context);
        return previous;
    }

    /**
     * Ends a drive: restores what {@link #enter} returned.
     *
     * @param previous the context before, or null
     */
    public static void exit(ThreadContext previous) {
        if (previous == null) {
            ENTERED.remove();
        } else {
            ENTERED.set(previous);
        }
    }

    /**
     * Returns the runtime this thread drives.
     *
     * @return the runtime
     */
    public RuntimeCore runtime() {
        return runtime;
    }

    /**
     * Returns this thread's timer scope: its wheel, and the runtime's clock.
     *
     * @return the scope
     */
    public TimerScope timers() {
        return timers;
    }

    /**
     * Returns the runtime's I/O driver, which the sockets a task polls register with.
     *
     * @return the driver
     */
    public IoDriver io() {
        return io;
    }

    /**
     * Returns the holder of what the poll in progress acquires: timers it arms are held until
     * the holder ends.
     *
     * @return the holder, or null outside a poll
     */
    public ResourceHolder holder() {
        return holder;
    }

    /**
     * Sets the holder of what the polls to come acquire: the task about to be polled, or null
     * after its poll.
     *
     * @param polled the holder, or null
     * @return the polls this thread began before this one: 0 for its first
     */
    public long polling(ResourceHolder polled) {
        // Plain stores: this runs around every poll, and the watch that reads them racily (see
        // holderOpaque) only samples them.
        long before = pollsBegun;
        if (polled != null) {
            pollsBegun = before + 1;
        }
        holder = polled;
        return before;
    }

    /**
     * For the thread after a poll: whether a watching thread flagged a poll of this thread
     * ({@link #flagPoll}). A plain read of a field on the line this thread writes around every
     * poll anyway, so it may miss a flag set as the poll returns: the watcher then takes its flag
     * back ({@link #takePollFlag()} is a CAS, and only one of them gets it).
     *
     * @return true if a flag waits to be taken
     */
    public boolean pollFlagged() {
        return flag != null;
    }

    /**
     * For the thread: takes the flag a watching thread set, if it is still there.
     *
     * @return the flag, or null if none
     */
    public Object takePollFlag() {
        Object taken = flagAcquire(); // pairs with flagPoll's release
        return taken != null && casFlag(taken, null) ? taken : null;
    }

    /**
     * For a watching thread: flags the poll in progress of this context's thread, which takes
     * the flag after that poll ({@link #takePollFlag()}). An immutable flag may be read racily.
     *
     * @param mark what the thread gets, not null
     */
    public void flagPoll(Object mark) {
        setFlagRelease(mark);
    }

    private Object flagAcquire() {
        return FLAG.getAcquire(this);
    }

    private boolean casFlag(Object expected, Object next) {
        return FLAG.compareAndSet(this, expected, next);
    }

    private void setFlagRelease(Object mark) {
        FLAG.setRelease(this, mark);
    }

    /**
     * For a thread that watches this one's polls ({@code PollWatch}): the holder of the poll in
     * progress, or null between polls. A racy read of what this context's thread writes
     * plainly: a sample, which may lag the thread by a little; a reference read whole, to a task
     * published to the watch long before by the queues that handed it to the thread.
     *
     * @return the holder, as last seen
     */
    public ResourceHolder holderOpaque() {
        return (ResourceHolder) HOLDER.getOpaque(this);
    }

    /**
     * For a thread that watches this one's polls: how many polls this thread has begun, a racy
     * read like {@link #holderOpaque()}. The same holder and count at two readings mean, but for
     * such a lag, that one poll lasted from the first to the second.
     *
     * @return the count of polls begun
     */
    public long pollsBegunOpaque() {
        return (long) POLLS_BEGUN.getOpaque(this);
    }
}

/** The padding before the holder. */
@SuppressWarnings("unused")
abstract class ThreadContextPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    // Fills the gap after the object header, which the JVM gives to a subclass's small field
    // otherwise: the very field this pads (see PaddingLayoutTest).
    int p08, p09;
}

/** The holder, between the two paddings: written by the thread around every poll. */
abstract class ThreadContextHolder extends ThreadContextPadBefore {
    /**
     * The holder of what the poll in progress acquires; see ThreadContext#holder(). Written and
     * read plainly by the context's thread; read racily, opaque, by a watching thread.
     */
    ResourceHolder holder;
    /** Polls begun by the context's thread; written by it only; read racily by a watcher. */
    long pollsBegun;
    /** Set by a watching thread (release), taken by the context's thread; see flagPoll. */
    Object flag;

    static final VarHandle HOLDER;
    static final VarHandle POLLS_BEGUN;
    static final VarHandle FLAG;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HOLDER = lookup.findVarHandle(ThreadContextHolder.class, "holder",
                    ResourceHolder.class);
            POLLS_BEGUN = lookup.findVarHandle(ThreadContextHolder.class, "pollsBegun",
                    long.class);
            FLAG = lookup.findVarHandle(ThreadContextHolder.class, "flag", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
