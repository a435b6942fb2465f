package dev.weft.task;

/**
 * The bits of a task's state word and every transition between them, as pure functions of the
 * current word. {@link Task} applies them with compare-and-set; keeping them here means each
 * transition is stated once and tested without threads.
 *
 * <h2>Bits</h2>
 * <ul>
 *   <li>{@link #RUNNING}: a thread holds the right to poll the future (or, when set together with
 *       {@link #CANCELLED} by an abort, to cancel it). Set by a claim (or by a wake that claims
 *       the task for the waking thread, which runs it next), cleared when the poll's outcome is
 *       applied. Never held by two threads: it is only ever set by a CAS that saw it
 *       clear.</li>
 *   <li>{@link #NOTIFIED}: a wake is owed. When set while not running, the task is in exactly one
 *       run queue; when set while running, the poller queues it again after the poll. Set by a
 *       wake (or by a claimer giving its claim back to queue the task), cleared by a claim.</li>
 *   <li>{@link #COMPLETE}: terminal; the outcome is published. Set once, by the thread holding
 *       RUNNING. After it the word never changes again: every transition below refuses a
 *       complete task.</li>
 *   <li>{@link #CANCELLED}: an abort succeeded. The task ends cancelled at the latest when the
 *       poll in progress returns, or, for a task a wake claimed for the thread that runs it next,
 *       when that thread takes it (after the poll it is in). Set at most once.</li>
 *   <li>{@link #JOIN_WAITERS}: at least one waiter is registered, so completing must wake the
 *       waiters. Set by a registration that found the task not complete.</li>
 * </ul>
 * A new task starts {@link #INITIAL} = NOTIFIED: spawning queues it once.
 */
public final class TaskState {

    /** A thread holds the right to poll (or cancel) the task. */
    public static final int RUNNING = 1;
    /** A wake is owed: queued if not running, re-queued after the poll if running. */
    public static final int NOTIFIED = 1 << 1;
    /** The outcome is published; nothing is polled again. */
    public static final int COMPLETE = 1 << 2;
    /** An abort succeeded; the task ends cancelled. */
    public static final int CANCELLED = 1 << 3;
    /** Waiters are registered and must be woken on completion. */
    public static final int JOIN_WAITERS = 1 << 4;

    /** The state of a task that was just spawned: notified, because spawning queues it. */
    public static final int INITIAL = NOTIFIED;

    /** Returned by a transition function when the transition does not apply to the state. */
    public static final int NO_CHANGE = -1;

    private TaskState() {
    }

    /**
     * A wake: sets NOTIFIED unless a wake is already owed or the task is complete.
     *
     * @param s the current state
     * @return the next state, or {@link #NO_CHANGE} when the wake has nothing to do
     */
    public static int wake(int s) {
        if ((s & (COMPLETE | NOTIFIED)) != 0) {
            return NO_CHANGE;
        }
        return s | NOTIFIED;
    }

    /**
     * Tells whether the waker that applied {@link #wake(int)} to {@code s} must queue the task:
     * yes when nobody is polling it; when it is running, the poller re-queues it.
     *
     * @param s the state the wake was applied to
     * @return true if the waker must schedule the task
     */
    public static boolean wakeMustSchedule(int s) {
        return (s & RUNNING) == 0;
    }

    /**
     * A wake on the thread that will run the task next, itself (a worker's own LIFO slot; see
     * {@link TaskScheduler#runNextSlot}): an idle task is claimed for that thread at once, RUNNING
     * set and NOTIFIED left clear, so the runner polls it without a claim of its own. A task being
     * polled is notified as by {@link #wake(int)}, and the poller queues it again.
     *
     * @param s the current state
     * @return the next state, or {@link #NO_CHANGE} when the wake has nothing to do
     */
    public static int wakeClaiming(int s) {
        if ((s & (COMPLETE | NOTIFIED)) != 0) {
            return NO_CHANGE;
        }
        return (s & RUNNING) != 0 ? s | NOTIFIED : s | RUNNING;
    }

    /**
     * The holder of a claim made by {@link #wakeClaiming(int)} handing the task to a run queue
     * instead of polling it: RUNNING cleared, NOTIFIED set, as if the wake had been a plain one.
     * Callers check {@link #CANCELLED} first: a task aborted while claimed completes instead (an
     * abort leaves that to the holder of RUNNING, and CANCELLED never stands without RUNNING or
     * COMPLETE).
     *
     * @param s the current state, with RUNNING set and CANCELLED and COMPLETE clear
     * @return the next state
     */
    public static int unclaim(int s) {
        return (s & ~RUNNING) | NOTIFIED;
    }

    /**
     * A runner taking a task out of a run queue: sets RUNNING and consumes NOTIFIED.
     *
     * @param s the current state
     * @return the next state, or {@link #NO_CHANGE} when the queue entry is stale (the task was
     *         completed or claimed by an abort after it was queued)
     */
    public static int claim(int s) {
        if ((s & (RUNNING | COMPLETE)) != 0 || (s & NOTIFIED) == 0) {
            return NO_CHANGE;
        }
        return (s | RUNNING) & ~NOTIFIED;
    }

    /**
     * The poller releasing a task whose poll returned pending. NOTIFIED stays as it is: if set,
     * a wake arrived during the poll and the poller must queue the task again.
     * Callers check {@link #CANCELLED} first: a cancelled task completes instead.
     *
     * @param s the current state, with RUNNING set
     * @return the next state
     */
    public static int releaseAfterPending(int s) {
        return s & ~RUNNING;
    }

    /**
     * The holder of RUNNING publishing the outcome: sets COMPLETE, clears RUNNING and NOTIFIED.
     *
     * @param s the current state, with RUNNING set
     * @return the next state
     */
    public static int complete(int s) {
        return (s & ~(RUNNING | NOTIFIED)) | COMPLETE;
    }

    /**
     * An abort: sets CANCELLED. If nobody is polling the task, the aborting thread also claims
     * RUNNING, so it can complete the task at once; if someone is polling it, the poller
     * completes it when the poll returns.
     *
     * @param s the current state
     * @return the next state, or {@link #NO_CHANGE} when the task is complete or already
     *         cancelled
     */
    public static int abort(int s) {
        if ((s & (COMPLETE | CANCELLED)) != 0) {
            return NO_CHANGE;
        }
        if ((s & RUNNING) != 0) {
            return s | CANCELLED;
        }
        return (s | RUNNING | CANCELLED) & ~NOTIFIED;
    }

    /**
     * Tells whether the abort that applied {@link #abort(int)} to {@code s} claimed the task and
     * must complete it itself.
     *
     * @param s the state the abort was applied to
     * @return true if the aborting thread now holds RUNNING
     */
    public static boolean abortClaims(int s) {
        return (s & RUNNING) == 0;
    }

    /**
     * A waiter announcing itself: sets JOIN_WAITERS unless the task is already complete.
     *
     * @param s the current state
     * @return the next state, or {@link #NO_CHANGE} when the task is complete
     */
    public static int registerWaiter(int s) {
        if ((s & COMPLETE) != 0) {
            return NO_CHANGE;
        }
        return s | JOIN_WAITERS;
    }

    /**
     * Renders a state word for error messages and test failures.
     *
     * @param s the state
     * @return the names of the set bits, such as {@code RUNNING|NOTIFIED}
     */
    public static String toString(int s) {
        StringBuilder sb = new StringBuilder();
        append(sb, s, RUNNING, "RUNNING");
        append(sb, s, NOTIFIED, "NOTIFIED");
        append(sb, s, COMPLETE, "COMPLETE");
        append(sb, s, CANCELLED, "CANCELLED");
        append(sb, s, JOIN_WAITERS, "JOIN_WAITERS");
        return sb.length() == 0 ? "IDLE" : sb.toString();
    }

    private static void append(StringBuilder sb, int s, int bit, String name) {
        if ((s & bit) != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}
