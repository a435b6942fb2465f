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
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The multi-thread, work-stealing runtime (seed sections 3.2.4.2.1 and 3.2.4.3.1), after Tokio's
 * scheduler: N {@link Worker}s, each with a bounded local queue and a LIFO slot, a global
 * {@link InjectQueue} for work from outside and for overflow, and {@link Idle} to wake parked
 * workers only when work needs them.
 *
 * <h2>Where a scheduled task goes</h2>
 * Woken by a task a worker of this runtime polls: that worker's LIFO slot, claimed for it (a task
 * with a deadline, under priority scheduling: the global queue; woken by the worker's timers or
 * I/O driver: the back of its queue). Spawned on a worker: the back of its queue, in spawn order.
 * Anywhere else: the global queue, and if it was empty, a parked worker is woken unless one is
 * searching.
 *
 * <h2>Shutdown</h2>
 * Once shutting down and no task is live, {@link #stopping} is set and every worker unparked;
 * each leaves its loop, runs the stop hook, and the last one out terminates the runtime. Threads
 * blocked in {@link #blockOn} are then woken and fail with {@link TaskCancelledException}. A worker
 * stuck in a poll that never returns cannot be stopped (Java cannot stop a thread): shutdown
 * returns false after a grace period and the runtime terminates when that poll returns.
 *
 * <p>A forced shutdown (the timeout passed, or {@code shutdownNow}) sets {@link #cancelling}, so
 * that workers abort every task they take from then on, and empties every queue itself; the
 * registry gives it the tasks waiting for a wake. A task in a worker's LIFO slot is the owner's
 * alone: the worker aborts it once the poll in progress returns. A spawn from outside that raced it
 * was pushed before the queue closed to spawns, so the shutdown finds it there.
 */
public final class MultiThreadRuntime extends RuntimeBase {

    /**
     * Registry shards per worker. A waiting task is removed from its shard by whichever worker
     * completes it, so tasks spread over many shards keep an adder and a remover apart (as Tokio
     * sizes its owned-task list).
     */
    private static final int REGISTRY_SHARDS_PER_WORKER = 8;

    private static final System.Logger LOGGER =
            System.getLogger(MultiThreadRuntime.class.getName());

    /**
     * The workers. A fixed array for now; when the tuner changes the worker count while running,
     * it will publish a new array through this volatile field (copy on write).
     */
    volatile Worker[] workers;
    final InjectQueue inject;
    final Idle idle;
    final boolean workStealing;
    /** Whether ready tasks are ordered by rank; see Worker's "Priority scheduling". */
    final boolean byPriority;
    /** The starvation policy; see Worker's "Priority scheduling". */
    final Aging aging;
    /** The workers' latest clock reading, which stamps tasks queued from outside. */
    final ClockReadings clockReadings;
    /** The counts of spawns from outside the workers, written under the global queue's lock. */
    private final TaskCounts injectedSpawnCounts;

    private final WorkerThread[] threads;
    private final AtomicInteger running = new AtomicInteger();
    /** Counted down by each worker once its start hook ran. */
    private final CountDownLatch started;
    /** The first start hook failure, if any. */
    private final AtomicReference<Throwable> hookFailure = new AtomicReference<>();
    private final Set<Parker> blockedInBlockOn = ConcurrentHashMap.newKeySet();
    /**
     * Set once, by onDrained, before it unparks every worker. A worker reads it at the top of its
     * loop and after each park. The write comes before ThreadParker.unpark's volatile write of the
     * parker's state, which the parked worker reads when its park returns: so a worker unparked by
     * onDrained sees it and leaves.
     */
    private volatile boolean stopping;
    /**
     * Set once, by a forced shutdown, before it empties the queues. A worker reads it before each
     * task it runs and aborts the task instead: so a task the shutdown could not take (one a
     * worker had just taken, or queued afterwards) is never polled again either.
     */
    private volatile boolean cancelling;

    /**
     * Starts the workers and returns once each has started (and run its start hook).
     *
     * @param config the validated options
     * @throws IllegalStateException if a worker's start hook threw; the workers are stopped
     */
    public MultiThreadRuntime(RuntimeConfig config) {
        this(config, true);
    }

    /**
     * Builds the runtime; without starting its threads when the race scenario tests drive the
     * workers from their own threads.
     *
     * @param config       the validated options
     * @param startThreads false only in tests: the caller then runs each worker's steps
     */
    MultiThreadRuntime(RuntimeConfig config, boolean startThreads) {
        // One set of counts per worker, and one for the spawns from outside, kept under the
        // global queue's lock.
        // Every worker counts as a busy timer driver until it first parks.
        super(config, REGISTRY_SHARDS_PER_WORKER * config.workerThreads(),
                config.workerThreads() + 1,
                config.workerThreads());
        lifecycle.transition(RuntimeState.UNINITIALIZED, RuntimeState.INITIALIZING);
        int n = config.workerThreads();
        this.workStealing = config.workStealing();
        this.byPriority = config.priorityScheduling();
        this.aging = new Aging(Nanos.of(config.starvationThreshold()));
        this.clockReadings = new ClockReadings(clock);
        this.inject = new InjectQueue(byPriority);
        this.idle = new Idle(n);
        Worker[] created = new Worker[n];
        this.threads = new WorkerThread[n];
        for (int i = 0; i < n; i++) {
            created[i] = new Worker(this, i, counters.owned(i), 0x9E3779B9 * (i + 1));
            threads[i] = new WorkerThread(created[i], config.threadNamePrefix() + i,
                    config.threadStackSize());
        }
        this.workers = created;
        PollWatch watch = newPollWatch(contextsOf(created), false);
        if (watch != null) {
            for (int i = 0; i < n; i++) {
                created[i].watched = watch.watched(i); // published to the worker by Thread.start
            }
        }
        this.injectedSpawnCounts = counters.owned(n);
        this.started = new CountDownLatch(n);
        running.set(n);
        if (!startThreads) {
            lifecycle.transition(RuntimeState.INITIALIZING, RuntimeState.RUNNING);
            return;
        }
        for (WorkerThread thread : threads) {
            thread.setUncaughtExceptionHandler((t, e) -> LOGGER.log(System.Logger.Level.ERROR,
                    "worker thread " + t.getName() + " died", e));
            thread.start(); // Thread.start publishes the fields set above to the new thread
        }
        awaitUninterruptibly(started);
        Throwable failure = hookFailure.get();
        if (failure != null) {
            stopping = true;
            unparkAll();
            throw new IllegalStateException("the onWorkerStart hook failed: " + failure, failure);
        }
        if (watch != null) {
            watch.start();
        }
        lifecycle.transition(RuntimeState.INITIALIZING, RuntimeState.RUNNING);
    }

    private static ThreadContext[] contextsOf(Worker[] workers) {
        ThreadContext[] contexts = new ThreadContext[workers.length];
        for (int i = 0; i < workers.length; i++) {
            contexts[i] = workers[i].context;
        }
        return contexts;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The body of a worker thread: start hook, loop, stop hook; the last worker out terminates. */
    void runWorker(Worker worker) {
        try {
            boolean hookRan = false;
            try {
                config.onWorkerStart().run();
                hookRan = true;
            } catch (Throwable failure) {
                hookFailure.compareAndSet(null, failure);
            } finally {
                started.countDown();
            }
            if (!hookRan) {
                return;
            }
            try {
                worker.run();
            } finally {
                try {
                    config.onWorkerStop().run();
                } catch (Throwable failure) {
                    LOGGER.log(System.Logger.Level.ERROR,
                            "the onWorkerStop hook failed on " + Thread.currentThread().getName(),
                            failure);
                }
            }
        } finally {
            if (running.decrementAndGet() == 0) {
                terminate();
            }
        }
    }

    boolean stopping() {
        return stopping;
    }

    boolean cancelling() {
        return cancelling;
    }

    /** This runtime's worker running on the calling thread, or null. */
    private Worker currentWorker() {
        if (Thread.currentThread() instanceof WorkerThread thread
                && thread.worker.runtime == this) {
            return thread.worker;
        }
        return null;
    }

    // ---------------------------------------------------------------- scheduling

    @Override
    public void schedule(Task<?> task) {
        Worker worker = currentWorker();
        if (worker != null) {
            worker.scheduleLocal(task);
            return;
        }
        if (byPriority) {
            // Published with the task by the global queue's lock.
            task.stampQueued(clockReadings.stampFor(inject));
        }
        pushGlobal(task);
    }

    @Override
    public RunNextSlot runNextSlot(Task<?> task) {
        Worker worker = currentWorker();
        return worker != null && worker.takesClaimedWake(task) ? worker : null;
    }

    /**
     * Pushes a task (stamped already with priority scheduling) to the global queue, waking a worker
     * if it was empty.
     */
    void pushGlobal(Task<?> task) {
        if (inject.push(task)) {
            wakeOneIfNeeded();
        }
    }

    @Override
    protected boolean startSpawned(Task<?> task) {
        Worker worker = currentWorker();
        if (worker == null) {
            if (byPriority) {
                task.stampQueued(clockReadings.stampFor(inject));
            }
            // Counted and pushed under the global queue's lock, which a shutdown takes to close
            // the queue to spawns: see InjectQueue.pushSpawned.
            int pushed = inject.pushSpawned(task, injectedSpawnCounts);
            if (pushed == InjectQueue.PUSHED_ONTO_EMPTY) {
                wakeOneIfNeeded();
            }
            return pushed != InjectQueue.CLOSED;
        }
        // On a worker, the spawn comes from a live task: a store to the worker's own counts
        // suffices (see RuntimeBase), and the release of the queue that takes the task publishes
        // it. To the back of the queue: spawned tasks run in spawn order.
        worker.counts.spawned();
        worker.scheduleSpawned(task);
        return true;
    }

    @Override
    protected TaskCounts countsOfCurrentThread() {
        Worker worker = currentWorker();
        return worker != null ? worker.counts : counters.shared();
    }

    @Override
    protected boolean admitSpawn() {
        return !config.boundedQueue() || queuedTasks() < config.maxQueueSize();
    }

    @Override
    protected void cancelAdmission() {
        // admitSpawn reserves nothing: it measures the queues.
    }

    @Override
    protected boolean nothingQueued() {
        if (!inject.isEmpty()) {
            return false;
        }
        for (Worker w : workers) {
            if (w.hasWork() || w.hasLifoTask()) {
                return false;
            }
        }
        return true;
    }

    /** Tasks waiting in queues: an estimate made of racy reads, only when the queue is bounded. */
    private int queuedTasks() {
        int queued = inject.size();
        for (Worker w : workers) {
            queued += w.localSize() + (w.hasLifoTask() ? 1 : 0);
        }
        return queued;
    }

    @Override
    protected void wakeToSelect() {
        wakeOneIfNeeded(); // the worker finds no work, and parks again on the selector
    }

    /**
     * New work was published: wake a parked worker if nobody is searching for it. Begins with a
     * full fence ({@link Idle#workerToWake()}), which callers rely on to order what they published
     * before anything they read afterwards.
     */
    void wakeOneIfNeeded() {
        int index = idle.workerToWake();
        if (index >= 0) {
            workers[index].parker.unpark();
        }
    }

    /**
     * A worker has counted itself parked: if work it could have taken is queued, make sure a
     * worker comes for it (possibly the caller itself, which is then unparked at once).
     *
     * @param everyQueue true for the last searcher, which looks at every worker's queue; otherwise
     *                   only the global queue is looked at
     */
    void wakeOneIfWorkPending(boolean everyQueue) {
        VarHandle.fullFence(); // the parking side of the Dekker pattern (see Idle)
        // After the same fence: the ends this worker counted with plain stores are now visible to
        // a shutdown that reads the counts after writing the state, or this read sees that state
        // (see RuntimeBase); so a drained runtime is noticed, by the shutdown or here.
        signalIfDrained();
        if (everyQueue) {
            for (Worker w : workers) {
                if (w.hasWork()) {
                    wakeOneIfNeeded();
                    return;
                }
            }
        }
        if (!inject.isEmpty()) {
            wakeOneIfNeeded();
        }
    }

    private void unparkAll() {
        for (Worker w : workers) {
            w.parker.unpark();
        }
    }

    // ---------------------------------------------------------------- blockOn and join

    @Override
    public <T> T blockOn(Future<T> future) {
        Objects.requireNonNull(future, "future");
        refuseIfTerminated("blockOn");
        Thread me = Thread.currentThread();
        if (ThreadContext.current() != null) {
            throw new IllegalStateException("blockOn called on thread '" + me.getName()
                    + "', which is already running a Weft runtime (a worker, or inside another "
                    + "blockOn); blocking it would stall that runtime: await the "
                    + "future instead");
        }
        ThreadParker parker = new ThreadParker();
        BlockOnWaker main = new BlockOnWaker(parker, me);
        // The future's timers go to a wheel of this call's own, which this thread fires and parks
        // on, and are cancelled when the call returns.
        TimerScope timerScope = new TimerScope(timers, parker::unpark, false);
        ThreadContext context = new ThreadContext(this, timerScope, io);
        HeldResources futureHolds = new HeldResources("the future given to blockOn");
        boolean completed = false;
        blockedInBlockOn.add(parker);
        ThreadContext previous = ThreadContext.enter(context);
        timers.driverWakes();
        boolean interrupted = false;
        try {
            while (true) {
                if (main.takeNotification()) {
                    Poll<T> poll = pollBlockOnFuture(future, main, context, futureHolds);
                    if (poll.isReady()) {
                        completed = true;
                        return poll.value();
                    }
                }
                if (main.isNotified() || timerScope.fireDue() > 0) {
                    continue;
                }
                if (lifecycle.state() == RuntimeState.TERMINATED) {
                    throw new TaskCancelledException(
                            "the runtime was shut down while blockOn was waiting for its future");
                }
                long timeout = timerScope.parkNanos(Nanos.FOREVER);
                timers.driverParks();
                interrupted |= parker.park(timeout);
                timers.driverWakes();
            }
        } finally {
            if (!completed) {
                // It failed, or the runtime stopped under it: what it waits on is given back.
                Droppable.dropIfDroppable(future);
            }
            futureHolds.releaseAll();
            timerScope.close();
            ThreadContext.exit(previous);
            blockedInBlockOn.remove(parker);
            timers.driverParks(); // no longer a driver: the last one out may advance a manual clock
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    @Override
    public int runUntilStalled() {
        throw new UnsupportedOperationException(
                "runUntilStalled drives a current-thread runtime; the workers of this "
                + "multi-thread runtime run its tasks on their own");
    }

    @Override
    public void awaitDone(Task<?> task) {
        if (ThreadContext.current() != null) {
            throw new IllegalStateException("join() on " + task.describe() + " would block thread '"
                    + Thread.currentThread().getName() + "', which is running a Weft runtime; "
                    + "await the JoinHandle from a task instead");
        }
        task.parkUntilDone();
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    protected void refuseShutdownFromInside() {
        if (currentWorker() != null) {
            throw new IllegalStateException(
                    "shutdown called on a worker of this runtime, where it would wait for itself");
        }
    }

    @Override
    protected boolean awaitDrained(long deadlineNanos) {
        return awaitNoTaskLive(deadlineNanos);
    }

    @Override
    protected void stopAcceptingSpawns() {
        inject.closeToSpawns();
    }

    @Override
    protected void stopPollingAndTakeQueued(List<Task<?>> into) {
        // A volatile write before the first take: a worker that takes a task after this reads it
        // and aborts the task (see the field).
        cancelling = true;
        Task<?> task;
        while ((task = inject.pop()) != null) {
            into.add(task);
        }
        // Steal into a queue of this thread's own, as a worker would, so the owners may go on
        // pushing and popping meanwhile. A steal gives up while another thief is at work; that
        // thief is a worker, which aborts what it took.
        LocalQueue scratch = new LocalQueue();
        for (Worker w : workers) {
            for (LocalQueue queue : w.queues) {
                while ((task = queue.stealInto(scratch)) != null) {
                    into.add(task);
                    while ((task = scratch.pop()) != null) {
                        into.add(task);
                    }
                }
            }
        }
    }

    @Override
    protected void onDrained() {
        stopping = true;
        unparkAll();
    }

    @Override
    protected void awaitThreadsReleased(long deadlineNanos) {
        boolean interrupted = false;
        for (WorkerThread thread : threads) {
            while (thread.isAlive()) {
                long remaining = Nanos.remaining(deadlineNanos, System.nanoTime());
                if (remaining == 0) {
                    break;
                }
                try {
                    thread.join(Math.max(1, remaining / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void afterTerminated() {
        for (Parker parker : blockedInBlockOn) {
            parker.unpark();
        }
    }

    // ---------------------------------------------------------------- observation

    @Override
    public String kind() {
        int n = config.workerThreads();
        return "multi-thread, " + n + (n == 1 ? " worker" : " workers");
    }

    @Override
    protected List<WorkerStats> workerStats() {
        Worker[] current = workers;
        List<WorkerStats> list = new ArrayList<>(current.length);
        for (Worker w : current) {
            list.add(w.stats);
        }
        return list;
    }

    @Override
    protected long queuedTasks(int level) {
        if (!byPriority) {
            return -1;
        }
        long queued = inject.size(level);
        for (Worker w : workers) {
            queued += w.queues[level].size();
            Task<?> lifo = w.lifoSlotVolatile();
            if (lifo != null && Rank.levelOf(lifo) == level) {
                queued++;
            }
        }
        return queued;
    }

    @Override
    protected long globalQueueDepth() {
        return inject.size();
    }
}
