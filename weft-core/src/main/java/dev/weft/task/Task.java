package dev.weft.task;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.TaskCancelledException;
import dev.weft.TaskOptions;
import dev.weft.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A spawned future, its state machine, its waker and its join handle, in one object: spawning
 * allocates this and nothing else, and waking or polling allocates nothing.
 *
 * <h2>Overview</h2>
 * A runner takes the task out of a run queue and calls {@link #run()}, which claims the right to
 * poll, polls the future once with this task as its {@link Context}, and applies the result. A
 * {@link #wake()} from any thread marks the task notified and, if nobody is polling it, hands it
 * to the {@link TaskScheduler}; if somebody is, the runner queues it again after the poll
 * ({@link #RESCHEDULE}). A wake on the thread that will run the task next, itself (a worker's own
 * LIFO slot), claims it in the same CAS instead of notifying it, and that thread polls it with
 * {@link #runClaimed()}: see {@link TaskScheduler#runNextSlot}. Completion publishes the
 * outcome, tells the scheduler, and wakes the waiters registered through the join handle.
 *
 * <h2>State</h2>
 * One {@code int} word, changed only by compare-and-set with the transitions of
 * {@link TaskState}, which is why the invariants hold by construction:
 * <ul>
 *   <li>never polled by two threads: polling requires RUNNING, which a claim sets only if
 *       clear;</li>
 *   <li>no lost wakeup: a wake during a poll sets NOTIFIED, which the poller's release-CAS sees
 *       (the two CASes on one word are totally ordered), so the poller queues the task again;</li>
 *   <li>wakes before the next poll schedule once: only the wake that sets NOTIFIED schedules;</li>
 *   <li>a wake after completion does nothing: COMPLETE freezes the word.</li>
 * </ul>
 *
 * <h2>Memory ordering</h2>
 * <ul>
 *   <li>{@code future} and {@code polls} belong to whoever holds RUNNING. The claim CAS (acquire)
 *       pairs with the release CAS of the previous holder, so each poll sees the writes of the
 *       previous one. A wake that claims the task is that CAS, on the thread that then polls.</li>
 *   <li>{@code outcome} is written before the CAS that sets COMPLETE (release) and read only after
 *       a volatile read saw COMPLETE (acquire).</li>
 *   <li>{@link #wake()} reads the word with a volatile read even when it ends up doing nothing: a
 *       wake that finds NOTIFIED set relies on the sequential consistency of volatile accesses
 *       for the next poll to see what the waker published through volatile or atomic fields
 *       before waking (the waker's read precedes the runner's claim CAS in the synchronization
 *       order). Plain, unsynchronized writes made before a wake are not covered, as in every
 *       runtime; Weft's own primitives publish through volatile fields.</li>
 *   <li>A wake from inside the task's own poll (a yield) changes no shared state: it sets a flag
 *       only the poller reads, and the poller's release CAS sets NOTIFIED for it. So a yield
 *       costs one CAS (the release), not two. {@code poller} tells such a wake apart from one on
 *       another thread; see the field.</li>
 *   <li>{@code waiters} is a lock-free stack changed only by CAS; completion swaps it for
 *       {@link #CLOSED} (acquire-release), after setting COMPLETE.</li>
 * </ul>
 *
 * <h2>Join waiters</h2>
 * A waiter first pushes its waker on {@code waiters}, then sets JOIN_WAITERS in the state word
 * unless COMPLETE is set. The completer sets COMPLETE and, only if JOIN_WAITERS was set, drains
 * the stack. Either the waiter's CAS comes first (the completer sees the bit and drains a stack
 * that already holds the waker), or the completer's does (the waiter sees COMPLETE and reads the
 * outcome itself). The bit spares the completion of a task nobody awaits a second atomic.
 *
 * @param <T> the type of the result
 */
public final class Task<T> implements JoinHandle<T>, Waker, Context, ResourceHolder {

    /** {@link #run()} result: the queue entry was stale (task completed or claimed by an abort). */
    public static final int SKIPPED = 0;
    /** {@link #run()} result: polled, pending, and waiting for a wake. */
    public static final int IDLE = 1;
    /** {@link #run()} result: polled, pending, and woken during the poll: queue it again. */
    public static final int RESCHEDULE = 2;
    /** {@link #run()} result: the task ended (value, failure or cancellation). */
    public static final int COMPLETED = 3;

    private static final System.Logger LOGGER = System.getLogger(Task.class.getName());

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Task.class, "state", int.class);
            WAITERS = lookup.findVarHandle(Task.class, "waiters", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #poller} after the poll woke its own task (a yield). */
    private static final Object WOKE_ITSELF = new Object();

    /** The outcome of a cancelled task. */
    private static final Object CANCELLED_OUTCOME = new Object();
    /** {@code waiters} after completion: registrations fail and the waiters are gone. */
    private static final Object CLOSED = new Object();

    /**
     * The state word; see {@link TaskState}. Accessed through {@link #STATE}. Set in the
     * constructor with a plain write, not a volatile one (which costs a full fence on every
     * spawn): the task reaches other threads only through a queue's release or the registry's
     * lock, which publish that write with it.
     */
    private volatile int state;
    /** null, a single {@link Waker}, a {@link WaiterNode} chain, or {@link #CLOSED}. */
    private volatile Object waiters;

    /** Owned by the holder of RUNNING; cleared on completion so the future can be collected. */
    private Future<T> future;
    /** Owned by the holder of RUNNING; read racily by metrics. */
    private int polls;
    /**
     * During a poll, the polling thread, or {@link #WOKE_ITSELF} once the poll woke its own task;
     * null otherwise. Written by the holder of RUNNING, plainly; read by {@link #wake()} on any
     * thread, racily, which is enough for the one question it answers: "is the calling thread
     * inside this task's poll?". A thread can only find itself here while it is (it clears the
     * field before the poll's outcome is applied), and never takes another value for itself. One
     * field for both facts keeps a task at 56 bytes.
     */
    private Object poller;
    /**
     * Once COMPLETE: the value, a {@link Failure}, or {@link #CANCELLED_OUTCOME}, published by
     * COMPLETE. Before: the head of the list of {@link TaskResource}s the task holds (or null),
     * owned like {@code future} by the holder of RUNNING, and released by {@link #complete}
     * before the outcome is written. One field for both keeps a task at 64 bytes: nobody reads an
     * outcome before COMPLETE, and no resource is held after it.
     */
    private Object outcome;

    private final TaskScheduler scheduler;
    private final TaskOptions options;

    /**
     * Link used by the intrusive run queue that holds the task. A task is in at most one queue at
     * a time (one entry per NOTIFIED), so one link suffices. Written before the queue publishes
     * the task with a release and read after the queue hands it out with an acquire.
     */
    private Task<?> nextScheduled;

    /**
     * When the task was last queued to run ({@link System#nanoTime()} scale), for the starvation
     * check of priority scheduling; or a mark a queue sets once it handed the task out. Written by
     * whoever queues the task, before the queue publishes it (release), and read by whoever finds
     * it there after the queue's acquire, like {@link #nextScheduled}. The one {@code long} a task
     * has: it makes a task 64 bytes.
     */
    private long queuedAt;

    /**
     * Links of {@link TaskRegistry}'s list, guarded by the lock of the shard holding the task.
     * {@code registryPrev} is null exactly while the task is not in the registry (the head's
     * points to itself), and is also read without the lock by the holder of RUNNING and by the
     * completer: the add that made it non-null was made under the lock by an earlier holder of
     * RUNNING, or by the spawner before publishing the task, so the claim's acquire (or the
     * publication) makes it visible; and the neighbours' updates under the lock only ever replace
     * one non-null value with another.
     */
    Task<?> registryPrev;
    Task<?> registryNext;

    /**
     * Creates a task in the {@link TaskState#INITIAL notified} state: the caller queues it once.
     *
     * @param future    the future to drive
     * @param options   priority, deadline and name
     * @param scheduler the runtime that runs the task
     */
    public Task(Future<T> future, TaskOptions options, TaskScheduler scheduler) {
        this.future = Objects.requireNonNull(future, "future");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        setStatePlain(TaskState.INITIAL); // see the field\'s comment
    }

    // ---------------------------------------------------------------- runner side

    /**
     * Polls the task once, if this queue entry still owes it a poll, and applies the result.
     * Called by a runner with a task it took out of a run queue.
     *
     * @return {@link #SKIPPED}, {@link #IDLE}, {@link #RESCHEDULE} (the caller must queue the task
     *         again, at the back) or {@link #COMPLETED}
     */
    public int run() {
        int s = state;
        int claimed;
        while (true) {
            claimed = TaskState.claim(s);
            if (claimed == TaskState.NO_CHANGE) {
                return SKIPPED;
            }
            int witness = compareAndExchangeState(s, claimed);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        if ((claimed & TaskState.CANCELLED) != 0) {
            complete(CANCELLED_OUTCOME);
            return COMPLETED;
        }
        return pollHeld();
    }

    /**
     * Polls a task that a wake on this thread claimed for it (see
     * {@link TaskScheduler#runNextSlot}), and applies the result, as {@link #run()} does after
     * its claim. Called by that thread only, once per such claim.
     *
     * @return {@link #IDLE}, {@link #RESCHEDULE} or {@link #COMPLETED}
     */
    public int runClaimed() {
        // The claim was this thread's own CAS: program order makes the previous poll's writes,
        // which that CAS acquired, visible here. An abort since then left CANCELLED for us.
        if ((state & TaskState.CANCELLED) != 0) {
            complete(CANCELLED_OUTCOME);
            return COMPLETED;
        }
        return pollHeld();
    }

    /**
     * Gives back a claim a wake made for this thread (see {@link TaskScheduler#runNextSlot}),
     * for a task its claimer queues instead of running it: the task is then notified, as after a
     * plain wake, and whoever takes it from the queue claims it with {@link #run()}. A task
     * aborted since the claim is completed here instead (the abort left that to the holder of
     * RUNNING, and nobody would claim it from a queue a forced shutdown empties). Called by the
     * claiming thread only, before it publishes the task in a queue.
     *
     * @return true if the caller must queue the task; false if it ended cancelled here
     */
    public boolean unclaim() {
        int s = state;
        while (true) {
            if ((s & TaskState.CANCELLED) != 0) {
                complete(CANCELLED_OUTCOME);
                return false;
            }
            int witness = compareAndExchangeState(s, TaskState.unclaim(s));
            if (witness == s) {
                return true;
            }
            s = witness;
        }
    }

    /** The poll and what follows it, by the holder of RUNNING. */
    private int pollHeld() {
        polls++;
        Poll<T> poll;
        poller = Thread.currentThread();
        try {
            poll = future.poll(this);
        } catch (Throwable failure) {
            poller = null;
            complete(new Failure(failure));
            return COMPLETED;
        }
        boolean yielded = poller == WOKE_ITSELF;
        poller = null;
        if (poll == null) {
            complete(new Failure(new NullPointerException(
                    "the future of " + describe() + " returned null from poll; "
                            + "return Poll.pending() or Poll.ready(value)")));
            return COMPLETED;
        }
        if (poll.isReady()) {
            complete(poll.value());
            return COMPLETED;
        }
        int s = state;
        // A wake during the poll (NOTIFIED, or one from the poll itself) cannot be undone while
        // this thread holds RUNNING, so such a task goes back to a run queue rather than waiting,
        // and needs no tracking yet.
        if (registryPrev == null && !yielded && (s & TaskState.NOTIFIED) == 0
                && !scheduler.trackPending(this)) {
            // The runtime is cancelling its tasks and could no longer find this one once it waits.
            complete(CANCELLED_OUTCOME);
            return COMPLETED;
        }
        while (true) {
            if ((s & TaskState.CANCELLED) != 0) {
                complete(CANCELLED_OUTCOME);
                return COMPLETED;
            }
            int released = TaskState.releaseAfterPending(yielded ? s | TaskState.NOTIFIED : s);
            int witness = compareAndExchangeState(s, released);
            if (witness == s) {
                return (released & TaskState.NOTIFIED) != 0 ? RESCHEDULE : IDLE;
            }
            s = witness;
        }
    }

    /**
     * Publishes the outcome. The caller holds RUNNING. A cancellation that won the race against
     * the poll replaces the result: once abort() returned true, the task ends cancelled.
     */
    private void complete(Object result) {
        Future<T> unfinished = future;
        future = null;
        if ((result == CANCELLED_OUTCOME || result instanceof Failure) && polls > 0) {
            // Aborted while waiting, or failed: what the future waits on (a socket's interest, a
            // place in a semaphore's queue) is given back now, not when the readiness, the timer
            // or the permit it waited for comes; a combinator whose one branch threw drops the
            // other this way. A future never polled holds nothing, and shutdownNow hands it back
            // to be run elsewhere.
            Droppable.dropIfDroppable(unfinished);
        }
        // Before COMPLETE is published: whoever sees the task ended sees its timers gone too.
        TaskResource held = (TaskResource) outcome;
        if (held != null) {
            outcome = null;
            TaskResource.releaseAll(held, LOGGER, this);
        }
        int s = state;
        while (true) {
            // Written before the CAS below, which publishes it (release); rewritten if the CAS
            // fails because an abort or a waiter changed the word in between.
            outcome = (s & TaskState.CANCELLED) != 0 ? CANCELLED_OUTCOME : result;
            int witness = compareAndExchangeState(s, TaskState.complete(s));
            if (witness == s) {
                break;
            }
            s = witness;
        }
        if ((s & TaskState.JOIN_WAITERS) != 0) {
            wakeWaiters();
        }
        // After the waiters: what they run on this thread (a spawn, say) runs while this task
        // still counts as live, so a shutdown cannot see the runtime drained in between.
        scheduler.release(this);
    }

    // ---------------------------------------------------------------- waker side

    /**
     * Schedules the task to be polled again; see {@link Waker}. Allocation-free.
     */
    @Override
    public void wake() {
        if (poller == Thread.currentThread()) {
            // A wake from inside this task's own poll (a yield): only this thread reads the mark,
            // after the poll, and folds it into the release CAS it makes anyway. Another thread
            // never finds itself here: see the field. A second wake in the same poll takes the
            // CAS below, which is as correct, only slower.
            poller = WOKE_ITSELF;
            return;
        }
        // On the thread that runs the task next, the wake claims it for that thread: see
        // TaskScheduler#runNextSlot.
        TaskScheduler.RunNextSlot slot = scheduler.runNextSlot(this);
        // Volatile read on purpose, even when nothing is changed: see "Memory ordering".
        int s = state;
        while (true) {
            int next = slot != null ? TaskState.wakeClaiming(s) : TaskState.wake(s);
            if (next == TaskState.NO_CHANGE) {
                return;
            }
            int witness = compareAndExchangeState(s, next);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        if (TaskState.wakeMustSchedule(s)) {
            if (slot != null) {
                slot.takeClaimed(this);
            } else {
                scheduler.schedule(this);
            }
        }
    }

    /**
     * The task is its own waker.
     *
     * @return this task
     */
    @Override
    public Waker waker() {
        return this;
    }

    // ---------------------------------------------------------------- resources

    /**
     * Holds a resource until the task ends; see {@link TaskResource}. Called from inside the
     * task's poll; does nothing once the task completed.
     *
     * @param resource a resource held by nobody
     */
    @Override
    public void hold(TaskResource resource) {
        if ((state & TaskState.COMPLETE) != 0) {
            // Code run by the completion on this thread (a continuation of toCompletableFuture)
            // arming a timer: the task holds nothing any more, and the field is its outcome now.
            return;
        }
        outcome = TaskResource.push((TaskResource) outcome, resource, this);
    }

    /**
     * Lets go of a resource its user gave back; does nothing if this task does not hold it.
     * Called from inside the task's poll.
     *
     * @param resource the resource
     */
    @Override
    public void letGo(TaskResource resource) {
        if (resource.heldBy() == this) {
            outcome = TaskResource.remove((TaskResource) outcome, resource);
        }
    }

    // ---------------------------------------------------------------- join handle side

    @Override
    public boolean abort() {
        int s = state;
        while (true) {
            int next = TaskState.abort(s);
            if (next == TaskState.NO_CHANGE) {
                return false;
            }
            int witness = compareAndExchangeState(s, next);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        if (TaskState.abortClaims(s)) {
            complete(CANCELLED_OUTCOME);
        }
        return true;
    }

    @Override
    public boolean isDone() {
        return (state & TaskState.COMPLETE) != 0;
    }

    /**
     * Awaits the task from another task: ready with its result once it ended.
     *
     * @param cx the awaiting task's context
     * @return ready with the result, or pending
     * @throws IllegalStateException if a task awaits its own handle, which could never complete
     */
    @Override
    public Poll<T> poll(Context cx) {
        if (!isDone()) {
            Waker waker = cx.waker();
            if (waker == this) {
                throw new IllegalStateException(describe()
                        + " awaits its own JoinHandle, which can never complete");
            }
            if (registerWaiter(waker)) {
                return Poll.pending();
            }
        }
        return Poll.ready(outcomeOrThrow());
    }

    @Override
    public T join() {
        if (!isDone()) {
            scheduler.awaitDone(this);
        }
        return outcomeOrThrow();
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        TaskCompletableFuture<T> view = new TaskCompletableFuture<>(this);
        if (!registerWaiter(view)) {
            completeInto(view);
        }
        return view;
    }

    /**
     * Registers a waker to be woken once when the task completes. Registering the same waker
     * (by identity) again is free.
     *
     * @param waker the waker
     * @return true if registered and the task is not complete yet; false if it is complete (the
     *         waker may still be woken once, spuriously)
     */
    public boolean registerWaiter(Waker waker) {
        Objects.requireNonNull(waker, "waker");
        Object head = waiters;
        while (true) {
            if (head == CLOSED) {
                return false;
            }
            if (isRegistered(head, waker)) {
                break;
            }
            Object pushed = head == null ? waker : new WaiterNode(waker, head);
            Object witness = compareAndExchangeWaiters(head, pushed);
            if (witness == head) {
                break;
            }
            head = witness;
        }
        int s = state;
        while ((s & TaskState.JOIN_WAITERS) == 0) {
            int next = TaskState.registerWaiter(s);
            if (next == TaskState.NO_CHANGE) {
                // Completed before any waiter was announced, so the completer will not drain the
                // stack: drop it here (every registrant sees this same frozen word).
                setWaitersRelease(CLOSED);
                return false;
            }
            int witness = compareAndExchangeState(s, next);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
        return (s & TaskState.COMPLETE) == 0;
    }

    /**
     * Blocks the calling thread, without spinning, until the task is done. For schedulers'
     * {@link TaskScheduler#awaitDone(Task)} on threads allowed to block. Not interruptible; an
     * interrupt is kept in the thread's interrupt status.
     */
    public void parkUntilDone() {
        if (isDone()) {
            return;
        }
        Thread waiter = Thread.currentThread();
        if (!registerWaiter(() -> LockSupport.unpark(waiter))) {
            return;
        }
        boolean interrupted = false;
        while (!isDone()) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            waiter.interrupt();
        }
    }

    private static boolean isRegistered(Object head, Waker waker) {
        for (Object node = head; node != null; ) {
            if (node instanceof WaiterNode n) {
                if (n.waker == waker) {
                    return true;
                }
                node = n.next;
            } else {
                return node == waker;
            }
        }
        return false;
    }

    private void wakeWaiters() {
        Object node = getAndSetWaiters(CLOSED);
        while (node != null && node != CLOSED) {
            Waker waker;
            if (node instanceof WaiterNode n) {
                waker = n.waker;
                node = n.next;
            } else {
                waker = (Waker) node;
                node = null;
            }
            try {
                waker.wake();
            } catch (Throwable e) {
                // A foreign waker failing must not stop the other waiters from being woken, nor
                // fail the runner that completed this task; it is reported, not dropped.
                LOGGER.log(System.Logger.Level.ERROR,
                        "a waker waiting for " + describe() + " threw from wake()", e);
            }
        }
    }

    // ---------------------------------------------------------------- outcome

    /** Returns the result of a completed task, or throws how it ended. */
    @SuppressWarnings("unchecked")
    private T outcomeOrThrow() {
        Object o = outcome;
        if (o == CANCELLED_OUTCOME) {
            throw new TaskCancelledException(describe() + " was cancelled");
        }
        if (o instanceof Failure failure) {
            throw Failure.asUnchecked(failure.cause(), describe());
        }
        return (T) o;
    }

    /** Completes {@code view} from the outcome; the task must be complete. */
    @SuppressWarnings("unchecked")
    void completeInto(CompletableFuture<T> view) {
        Object o = outcome;
        if (o == CANCELLED_OUTCOME) {
            view.completeExceptionally(new TaskCancelledException(describe() + " was cancelled"));
        } else if (o instanceof Failure failure) {
            view.completeExceptionally(failure.cause());
        } else {
            view.complete((T) o);
        }
    }

    /**
     * Tells whether the completed task ended cancelled.
     *
     * @return true if complete and cancelled
     */
    public boolean isCancelled() {
        return isDone() && outcome == CANCELLED_OUTCOME;
    }

    /**
     * Tells whether the completed task ended with an exception thrown by its future.
     *
     * @return true if complete and failed
     */
    public boolean isFailed() {
        return isDone() && outcome instanceof Failure;
    }

    // ---------------------------------------------------------------- accessors

    /**
     * Returns the options the task was spawned with.
     *
     * @return the options
     */
    public TaskOptions options() {
        return options;
    }

    /**
     * Returns how many times the future was polled. Exact on the thread that just ran the task;
     * elsewhere a racy but harmless read.
     *
     * @return the number of polls so far
     */
    public int pollCount() {
        return polls;
    }

    /**
     * Returns the future of a task that has not been polled yet, for {@code shutdownNow}, which
     * reports the work that never started. A racy read: call it only on a task about to be
     * aborted.
     *
     * @return the future, or null once the task was polled or ended
     */
    public Future<T> unstartedFuture() {
        return polls == 0 && !isDone() ? future : null;
    }

    /**
     * Returns the next task in the intrusive run queue holding this one. Only the queue calls it.
     *
     * @return the next task, or null
     */
    public Task<?> nextScheduled() {
        return nextScheduled;
    }

    /**
     * Links the next task of the intrusive run queue holding this one. Only the queue calls it,
     * before publishing this task with a release.
     *
     * @param next the next task, or null
     */
    public void setNextScheduled(Task<?> next) {
        nextScheduled = next;
    }

    /**
     * Returns what the queue holding this task stamped it with; see {@link #stampQueued(long)}.
     * Only run queues call it.
     *
     * @return the stamp
     */
    public long queuedAt() {
        return queuedAt;
    }

    /**
     * Stamps the task as it enters a run queue, before the queue publishes it with a release. Only
     * run queues call it.
     *
     * @param stamp the time it was queued, or a queue's own mark
     */
    public void stampQueued(long stamp) {
        queuedAt = stamp;
    }

    /**
     * Returns the current state word, for tests and diagnostics.
     *
     * @return the state word; see {@link TaskState}
     */
    public int stateWord() {
        return state;
    }

    /**
     * Names the task for messages: its name if it has one, else its identity.
     *
     * @return a short description such as {@code task 'fetch'}
     */
    public String describe() {
        return options.name().map(n -> "task '" + n + "'")
                .orElseGet(() -> "task@" + Integer.toHexString(System.identityHashCode(this)));
    }

    @Override
    public String toString() {
        return describe() + "[" + TaskState.toString(state) + ", " + options.priority() + "]";
    }

    // ---------------------------------------------------------------- accessors, by memory mode

    /** The constructor's write: the task reaches other threads only through a release. */
    private void setStatePlain(int s) {
        STATE.set(this, s);
    }

    /** Every transition: a full-fence CAS returning the word it found (see TaskState). */
    private int compareAndExchangeState(int expected, int next) {
        return (int) STATE.compareAndExchange(this, expected, next);
    }

    /** A waiter's push: a full-fence CAS returning the head it found. */
    private Object compareAndExchangeWaiters(Object expected, Object head) {
        return WAITERS.compareAndExchange(this, expected, head);
    }

    /** Closes the stack once the completer will not drain it: the waiters' next CAS sees it. */
    private void setWaitersRelease(Object head) {
        WAITERS.setRelease(this, head);
    }

    /** The completer takes every waiter and closes the stack, in one exchange. */
    private Object getAndSetWaiters(Object head) {
        return WAITERS.getAndSet(this, head);
    }

    /** A link of the waiters stack, used once a second waiter arrives. */
    private static final class WaiterNode {
        final Waker waker;
        final Object next;

        WaiterNode(Waker waker, Object next) {
            this.waker = waker;
            this.next = next;
        }
    }
}
