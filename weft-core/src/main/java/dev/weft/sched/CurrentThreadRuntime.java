package dev.weft.sched;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.RuntimeState;
import dev.weft.TaskCancelledException;
import dev.weft.runtime.RuntimeConfig;
import dev.weft.runtime.ThreadContext;
import dev.weft.task.Droppable;
import dev.weft.task.HeldResources;
import dev.weft.task.Task;
import dev.weft.time.driver.Nanos;
import dev.weft.time.driver.TimerScope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The current-thread runtime (seed section 3.2.4.3.2): no threads of its own; tasks run on the
 * thread that drives it, inside {@link #blockOn}, {@link #runUntilStalled}, a {@code join()} or
 * a shutdown.
 *
 * <h2>Overview</h2>
 * The first thread that drives the runtime becomes its owner, and only the owner drives it after
 * that; so a task spawned here never runs on another thread, and need not be thread-safe. Any
 * thread may spawn and wake tasks:
 * <ul>
 *   <li>on the owner, a scheduled task goes to the run queue, an {@link OwnerRunQueue} only the
 *       owner touches, which orders tasks by priority and deadline (or FIFO without priority
 *       scheduling);</li>
 *   <li>elsewhere, it goes to the {@link TaskInbox} (lock-free, intrusive) and the owner is
 *       unparked. The owner moves the inbox to the run queue before each batch of tasks.</li>
 * </ul>
 * The driving loop polls the blockOn future when it was woken, runs a batch of up to
 * {@link #BATCH} tasks, and parks when there is nothing to do. A task that wakes
 * itself (a yield) goes to the back of the queue, so every ready task makes progress.
 *
 * <h2>Timers</h2>
 * One timing wheel, the owner's: every timer armed here is armed by the owner, in a poll. The
 * owner fires the due ones before each batch, and parks no longer than the next one. The timers
 * armed by the future given to {@code blockOn} are held by that call, and cancelled when it
 * returns; those armed by a task, by the task.
 *
 * <h2>I/O</h2>
 * Once the runtime has sockets, the owner waits in the I/O driver's select rather than parking,
 * and takes the readiness there is before each batch; the tasks readiness wakes are queued like
 * any other the owner wakes.
 *
 * <h2>Shutdown</h2>
 * New spawns are refused at once. On the owner (or a thread that can still become it), shutdown
 * drives the live tasks until they end or the timeout passes; on another thread it waits, while
 * the owner, if it is inside blockOn, keeps running them. The runtime terminates as soon as no
 * task is live; an owner parked in blockOn is then woken and fails with
 * {@link TaskCancelledException}, so no thread stays blocked on a terminated runtime.
 */
public final class CurrentThreadRuntime extends RuntimeBase {

    /** Tasks run between two looks at the blockOn future and the inbox (as Tokio's 61). */
    static final int BATCH = 61;

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup()
                    .findVarHandle(CurrentThreadRuntime.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TaskInbox inbox = new TaskInbox();
    private final ThreadParker parker = new ThreadParker();
    /** Whether tasks are queued: the idle cleanup stops its batches then. */
    private final BooleanSupplier workQueued = () -> !nothingQueued();
    private final WorkerStats stats = new WorkerStats();
    /** Tasks queued to run, counted only when the queue is bounded; null otherwise. */
    private final AtomicInteger queued;

    /** The thread that drives the runtime; bound once, by CAS, by the first one to drive it. */
    private volatile Thread owner;
    /** Owner only: tasks ready to run. */
    private final OwnerRunQueue runQueue;
    /** Owner only: an interrupt consumed by parking, restored when the owner stops driving. */
    private boolean interruptedWhileParked;
    /** Owner only: whether the owner is inside blockOn, runUntilStalled or a shutdown's drive. */
    private boolean driving;
    /** Owner only: channels the last select reported, less the polls since; see pollIo. */
    private int ioBacklog;
    /** The owner's timing wheel. */
    private final TimerScope timerScope;
    /** The owner's context while it drives: this runtime, its wheel, and the task being polled. */
    private final ThreadContext context;
    /** What the owner tells the long-poll watch, or null if the builder turned it off. */
    private final PollWatch.Watched watched;

    /**
     * Creates the runtime, in state RUNNING.
     *
     * @param config the validated options
     */
    public CurrentThreadRuntime(RuntimeConfig config) {
        // The owner counts as a busy timer driver except while parked inside a drive: a manual
        // clock advances by itself only then, not while nobody drives the runtime.
        super(config, 1, 1, 1);
        this.timerScope = new TimerScope(timers, parker::unpark, true);
        this.context = new ThreadContext(this, timerScope, io);
        this.queued = config.boundedQueue() ? new AtomicInteger() : null;
        this.runQueue = new OwnerRunQueue(config.priorityScheduling(), clock,
                Nanos.of(config.starvationThreshold()));
        // The owner counts as parked until it drives: the watch is idle until then.
        PollWatch watch = newPollWatch(new ThreadContext[] {context}, true);
        this.watched = watch == null ? null : watch.watched(0);
        lifecycle.transition(RuntimeState.UNINITIALIZED, RuntimeState.INITIALIZING);
        // Nothing to start but the watch: the runtime borrows the thread that drives it.
        if (watch != null) {
            watch.start();
        }
        lifecycle.transition(RuntimeState.INITIALIZING, RuntimeState.RUNNING);
    }

    // ---------------------------------------------------------------- spawning and scheduling

    @Override
    protected boolean admitSpawn() {
        if (queued == null) {
            return true;
        }
        int n;
        do {
            n = queued.get();
            if (n >= config.maxQueueSize()) {
                return false;
            }
        } while (!queued.compareAndSet(n, n + 1));
        return true;
    }

    @Override
    protected void cancelAdmission() {
        if (queued != null) {
            queued.decrementAndGet();
        }
    }

    /**
     * Counts every spawn in the shared counts, the owner's too: the owner may spawn from outside
     * any task (before or between blockOn calls), which only the shared counts order against a
     * shutdown. Registers every task at once: a forced shutdown from another thread cannot reach
     * the owner's run queue, so it finds the tasks through the registry.
     */
    @Override
    protected boolean startSpawned(Task<?> task) {
        if (!countSpawnOrRefuse()) {
            return false;
        }
        if (!registry.add(task)) {
            // A forced shutdown closed the registry after the count: refuse, as it cannot see us.
            counters.shared().refused();
            signalIfDrained();
            return false;
        }
        enqueue(task); // admitSpawn counted it
        return true;
    }

    /**
     * Counts a spawn in the shared counts, then refuses it if the runtime no longer takes spawns.
     * Every spawn on this runtime counts this way: the owner may spawn from outside any task.
     *
     * @return false if refused: the spawn is then counted as refused
     */
    private boolean countSpawnOrRefuse() {
        TaskCounts shared = counters.shared();
        // An atomic add, then a volatile read of the state: Dekker's pattern with beginShutdown,
        // which writes the state, then reads the counts (see RuntimeBase).
        shared.spawned();
        if (lifecycle.state() == RuntimeState.RUNNING) {
            return true;
        }
        shared.refused();
        signalIfDrained();
        return false;
    }

    /** Ends on the owner are counted in its own counts; see {@link #park} for why that is safe. */
    @Override
    protected TaskCounts countsOfCurrentThread() {
        return Thread.currentThread() == owner ? counters.owned(0) : counters.shared();
    }

    @Override
    protected void stopAcceptingSpawns() {
        // Nothing to close: every spawn counts itself, then checks the state (countSpawnOrRefuse).
    }

    @Override
    protected void stopPollingAndTakeQueued(List<Task<?>> into) {
        // Nothing to do: every task is in the registry from its spawn, and only the owner can
        // take from the run queue, where aborted tasks are skipped.
    }

    /** A wake made the task notified: queue it. A wake is never refused, whatever the bound. */
    @Override
    public void schedule(Task<?> task) {
        if (queued != null) {
            queued.incrementAndGet();
        }
        enqueue(task);
    }

    private void enqueue(Task<?> task) {
        if (Thread.currentThread() == owner) {
            if (!driving) {
                // The owner between two drives: the cached clock is as old as the last drive,
                // which would make the task look as if it had waited all that time.
                runQueue.refreshClock();
            }
            runQueue.add(task);
        } else {
            if (config.priorityScheduling()) {
                // The owner files it by this stamp when it moves the inbox; the inbox's push
                // (release) and take (acquire) publish it with the task.
                task.stampQueued(clock.nanoTime());
            }
            inbox.push(task);
            parker.unpark();
        }
    }

    // ---------------------------------------------------------------- driving

    @Override
    public <T> T blockOn(Future<T> future) {
        java.util.Objects.requireNonNull(future, "future");
        refuseIfTerminated("blockOn");
        ThreadContext previous = enterDriver("blockOn");
        HeldResources futureHolds = new HeldResources("the future given to blockOn");
        boolean completed = false;
        try {
            BlockOnWaker main = new BlockOnWaker(parker, Thread.currentThread());
            while (true) {
                if (main.takeNotification()) {
                    Poll<T> poll = pollBlockOnFuture(future, main, context, futureHolds);
                    if (context.pollFlagged()) {
                        watched.afterFlaggedPoll();
                    }
                    if (poll.isReady()) {
                        completed = true;
                        return poll.value();
                    }
                }
                if (runReady() > 0 || main.isNotified()) {
                    continue;
                }
                if (lifecycle.state() == RuntimeState.TERMINATED) {
                    throw new TaskCancelledException(
                            "the runtime was shut down while blockOn was waiting for its future");
                }
                park(Nanos.FOREVER);
            }
        } finally {
            if (!completed) {
                // It failed, or the runtime stopped under it: what it waits on is given back.
                Droppable.dropIfDroppable(future);
            }
            futureHolds.releaseAll();
            exitDriver(previous);
        }
    }

    @Override
    public int runUntilStalled() {
        refuseIfTerminated("runUntilStalled");
        ThreadContext previous = enterDriver("runUntilStalled");
        try {
            int total = 0;
            int ran;
            while ((ran = runReady()) > 0) {
                total += ran;
            }
            return total;
        } finally {
            exitDriver(previous);
        }
    }

    @Override
    public void awaitDone(Task<?> task) {
        Thread me = Thread.currentThread();
        if (ThreadContext.current() != null) {
            throw new IllegalStateException("join() on " + task.describe() + " would block thread '"
                    + me.getName() + "', which is running a Weft runtime; await the JoinHandle "
                    + "from a task instead");
        }
        if (lifecycle.state() != RuntimeState.TERMINATED && bindOwner(me) == me) {
            // The owner outside the runtime: drive it until the task ends.
            blockOn(cx -> task.isDone() || !task.registerWaiter(cx.waker()) ? Poll.ready(null)
                    : Poll.pending());
        } else {
            task.parkUntilDone();
        }
    }

    /**
     * Runs up to {@link #BATCH} polls, after firing the due timers and moving the inbox to the run
     * queue.
     */
    private int runReady() {
        timerScope.fireDue();
        pollIo();
        runQueue.refreshClock();
        drainInbox();
        int polled = 0;
        Task<?> task;
        while (polled < BATCH && (task = runQueue.poll()) != null) {
            if (queued != null) {
                queued.decrementAndGet();
            }
            boolean late = task.pollCount() == 0 && Rank.startsLate(task, clock);
            // the timers this poll arms are the task's: its end cancels them
            long begun = context.polling(task);
            boolean timed = (begun & WorkerStats.POLL_SAMPLE_MASK) == 0;
            long began = timed ? clock.nanoTime() : 0;
            int result = task.run();
            if (timed && result != Task.SKIPPED) {
                stats.polledFor(clock.nanoTime() - began);
            }
            context.polling(null);
            if (context.pollFlagged()) {
                watched.afterFlaggedPoll();
            }
            if (result == Task.SKIPPED) {
                continue; // a stale entry: the task was aborted while queued
            }
            polled++;
            stats.polled(task, late);
            stats.tookLocal();
            if (result == Task.RESCHEDULE) {
                if (queued != null) {
                    queued.incrementAndGet();
                }
                runQueue.add(task);
            }
        }
        if (polled > 0) {
            stats.publish(runQueue.size());
        }
        return polled;
    }

    /**
     * Takes the readiness the selector has now, without waiting, once the runtime has sockets;
     * not before the tasks the last select woke have had their turn (as a worker's, see Worker).
     */
    private void pollIo() {
        if (ioBacklog > 0) {
            ioBacklog = Math.max(0, ioBacklog - BATCH);
            return;
        }
        if (io.isActive() && io.tryAcquire()) {
            try {
                ioBacklog = io.selectNow();
                stats.selected(ioBacklog, parker.selectWakeups());
            } finally {
                io.release();
            }
        }
    }

    private void drainInbox() {
        Task<?> task = inbox.takeAll();
        while (task != null) {
            Task<?> next = task.nextScheduled();
            task.setNextScheduled(null);
            runQueue.add(task, task.queuedAt());
            task = next;
        }
    }

    /**
     * Parks the owner. It counts the ends of its tasks with plain stores, which a shutdown on
     * another thread may not see, and may itself miss the shutdown's state; so first, after a full
     * fence, it checks whether it just drained a runtime that is shutting down, as a worker does
     * (see RuntimeBase). Leaving the driver does the same.
     */
    private void park(long timeoutNanos) {
        signalIfDrainedAfterFence();
        stats.beforePark(runQueue.size());
        if (watched != null) {
            watched.parking();
        }
        long cleanupDue = cleanUpIfDue(workQueued);
        long timeout = timerScope.parkNanos(Math.min(timeoutNanos, cleanupDue));
        timers.driverParks(); // with an auto-advancing manual clock, may move it to the next timer
        if (io.isActive() && io.tryAcquire()) {
            // The runtime has sockets: wait in the selector, which readiness also ends.
            try {
                ioBacklog = parker.parkSelecting(io, timeout);
                stats.selected(ioBacklog, parker.selectWakeups());
            } finally {
                io.release();
            }
            if (Thread.interrupted()) {
                interruptedWhileParked = true;
            }
        } else if (parker.park(timeout)) {
            interruptedWhileParked = true;
        }
        timers.driverWakes();
        runQueue.refreshClock(); // the blockOn future may spawn before the next batch
        if (watched != null) {
            watched.awake();
        }
        stats.afterPark();
    }

    private void signalIfDrainedAfterFence() {
        VarHandle.fullFence(); // orders this thread's count stores before its read of the state
        signalIfDrained();
    }

    /** The first thread to drive the runtime binds it, once, by CAS. */
    private boolean casOwner(Thread expected, Thread driver) {
        return OWNER.compareAndSet(this, expected, driver);
    }

    private Thread bindOwner(Thread me) {
        if (owner == null && casOwner(null, me)) {
            stats.runBy(me);
            timerScope.claim(); // no timer is armed before: only the owner polls
        }
        return owner;
    }

    /** Checks that this thread may drive the runtime, and enters its context. */
    private ThreadContext enterDriver(String operation) {
        Thread me = Thread.currentThread();
        if (ThreadContext.current() != null) {
            throw new IllegalStateException(operation + " called on thread '" + me.getName()
                    + "', which is already running a Weft runtime (from a task, or from the future "
                    + "given to blockOn); blocking it would stall "
                    + "that runtime: await the future instead");
        }
        Thread bound = bindOwner(me);
        if (bound != me) {
            throw new IllegalStateException(operation + " on a current-thread runtime must be "
                    + "called from the thread that drives it, '" + bound.getName() + "', not from '"
                    + me.getName() + "'; other threads may spawn tasks on it");
        }
        driving = true;
        stats.afterPark(); // busy from now: the time between drives is not the runtime's
        if (watched != null) {
            watched.drivenBy(me);
            watched.awake();
        }
        runQueue.refreshClock(); // the blockOn future's first poll may spawn before the first batch
        return ThreadContext.enter(context);
    }

    private void exitDriver(ThreadContext previous) {
        signalIfDrainedAfterFence();
        driving = false;
        stats.publish(runQueue.size()); // closes the busy interval enterDriver opened
        if (watched != null) {
            watched.parking(); // not driving: as good as parked, for the watch
        }
        ThreadContext.exit(previous);
        if (interruptedWhileParked) {
            interruptedWhileParked = false;
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    protected void refuseShutdownFromInside() {
        if (ThreadContext.current() != null && Thread.currentThread() == owner) {
            throw new IllegalStateException(
                    "shutdown called from inside this runtime (from a task, or from the future "
                    + "given to blockOn), where it would wait for itself");
        }
    }

    /**
     * Drives the live tasks if this thread may (it owns the runtime, or nobody does yet and it is
     * not running another runtime); otherwise waits while the owner, if it is in blockOn, runs
     * them.
     */
    @Override
    protected boolean awaitDrained(long deadline) {
        Thread me = Thread.currentThread();
        boolean canDrive = ThreadContext.current() == null && bindOwner(me) == me;
        return canDrive ? driveUntilNoTask(deadline) : awaitTerminatedUnlessInterrupted(deadline);
    }

    private boolean driveUntilNoTask(long deadline) {
        ThreadContext previous = enterDriver("shutdown");
        try {
            while (!counters.noTaskLive()) {
                if (interruptedWhileParked || Thread.currentThread().isInterrupted()) {
                    // Ends the wait as the deadline would; exitDriver restores the status.
                    return counters.noTaskLive();
                }
                if (runReady() > 0) {
                    continue;
                }
                long remaining = Nanos.remaining(deadline, System.nanoTime());
                if (remaining == 0) {
                    return counters.noTaskLive();
                }
                park(remaining);
            }
            // Only entries of ended tasks can remain queued: drop them.
            drainInbox();
            runQueue.clear();
            if (queued != null) {
                queued.set(0);
            }
            return true;
        } finally {
            exitDriver(previous);
        }
    }

    @Override
    protected void onDrained() {
        terminate(); // no threads of its own to stop
    }

    @Override
    protected void awaitThreadsReleased(long deadlineNanos) {
        // No threads of its own.
    }

    @Override
    protected void afterTerminated() {
        parker.unpark(); // an owner parked in blockOn wakes up and sees TERMINATED
    }

    // ---------------------------------------------------------------- observation

    @Override
    public String kind() {
        return "current-thread";
    }

    @Override
    protected List<WorkerStats> workerStats() {
        return List.of(stats);
    }

    /**
     * Racy reads of the owner's queue and of the inbox, from whichever thread moved a manual clock.
     */
    @Override
    protected boolean nothingQueued() {
        return inbox.isEmpty() && runQueue.size() == 0;
    }

    @Override
    protected void wakeToSelect() {
        parker.unpark(); // an owner parked in a drive parks again, on the selector
    }

    /** Racy reads of the owner's queue: see OwnerRunQueue.size(int). */
    @Override
    protected long queuedTasks(int level) {
        return runQueue.size(level);
    }

    /** None: no global queue; the owner's run queue is its worker figures' queue depth. */
    @Override
    protected long globalQueueDepth() {
        return 0;
    }
}
