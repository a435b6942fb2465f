package dev.weft.sched;

import dev.weft.AsyncCloseable;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.RuntimeMetrics;
import dev.weft.RuntimeMetrics.WorkerMetrics;
import dev.weft.RuntimeState;
import dev.weft.TaskOptions;
import dev.weft.Waker;
import dev.weft.buffer.BufferPool;
import dev.weft.net.driver.IoDriver;
import dev.weft.runtime.RuntimeConfig;
import dev.weft.runtime.RuntimeCore;
import dev.weft.runtime.ThreadContext;
import dev.weft.task.Failure;
import dev.weft.task.HeldResources;
import dev.weft.task.Task;
import dev.weft.task.TaskRegistry;
import dev.weft.task.TaskScheduler;
import dev.weft.time.Clock;
import dev.weft.time.driver.Nanos;
import dev.weft.time.driver.Timers;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What every kind of runtime shares: spawning (admission, counting, rejection), blocking
 * tasks, the shutdown protocol, and metrics. Subclasses decide where a task runs.
 *
 * <h2>Counting live tasks</h2>
 * Tasks are counted in {@link TaskCounters}: a worker counts the spawns and ends that happen on
 * its thread in counts of its own, with a store each; any other thread uses the shared counts,
 * with an atomic add. Spawns from a worker need no more: they come from a live task, so the
 * runtime is not drained while they happen. A spawn from any other thread must be either
 * counted where the shutdown's read of the counts sees it, or refused. The multi-thread runtime
 * counts it under its global queue's lock, which the shutdown takes to close the queue to spawns
 * ({@link #stopAcceptingSpawns()}). The current-thread runtime counts it with an atomic add and
 * checks the state after, while shutdown writes the state and reads the counts after: Dekker's
 * pattern, so either the spawn sees SHUTTING_DOWN and is refused (and counted as ended), or the
 * shutdown sees it counted (CurrentThreadRuntime.startSpawned).
 *
 * <h2>Shutdown</h2>
 * {@link #beginShutdown()} moves RUNNING to SHUTTING_DOWN: new spawns are refused from then on.
 * From then on, an end that leaves no task live calls {@link #onDrained()}, and the subclass
 * terminates (at once without threads of its own, after its workers exited otherwise). An end
 * counted by a worker with a plain store may not be seen by the shutdown's read, nor see the new
 * state itself; so a worker also checks, after a full fence, whenever it stops running tasks
 * (before it parks), which closes that gap. {@link #shutdown(Duration)} begins, waits for the
 * live tasks until the timeout, cancels those left (see {@link #cancelEveryTask}), and waits a
 * short grace for threads to leave. Because termination follows from draining, a non-blocking
 * {@code ExecutorService.shutdown()} is just {@link #beginShutdown()}.
 */
public abstract class RuntimeBase implements RuntimeCore, TaskScheduler {

    /** How long shutdown waits for threads to leave once no task is live or all were cancelled. */
    private static final long THREAD_EXIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final TaskOptions BLOCKING_OPTIONS =
            TaskOptions.priority(Priority.NORMAL).name("spawnBlocking");

    /** The validated options. */
    protected final RuntimeConfig config;
    /** The lifecycle state machine. */
    protected final RuntimeLifecycle lifecycle;
    /** The tasks a forced shutdown must find outside the run queues. */
    protected final TaskRegistry registry;
    /** How many tasks were spawned and ended, per thread. */
    protected final TaskCounters counters;
    /** The clock, and the timing wheels of the threads that drive the runtime. */
    protected final Timers timers;
    /** The selector the runtime's channels register with, which idle threads select on. */
    protected final IoDriver io = new IoDriver(this::wakeToSelect);
    /**
     * The runtime's clock: timers, and the stamps and deadlines of priority scheduling, read it.
     * The metrics (uptime, busy time) and the waits of shutdown are real time, on
     * {@link System#nanoTime()}, whatever the clock.
     */
    protected final Clock clock;

    private final long startNanos = System.nanoTime();
    private final AtomicLong rejected = new AtomicLong();
    private final ThreadPoolExecutor blockingPool;
    private final Registered registered = new Registered();
    /** The buffers' cleanup, which idle threads run. */
    private final IdleCleanup cleanup;
    /**
     * The long-poll watch of the runtime's threads, or null without one. Set once, by the
     * subclass's constructor ({@link #newPollWatch}), before the runtime is handed out, whose
     * final field in the facade publishes it with the runtime.
     */
    private PollWatch pollWatch;
    /**
     * The pool of {@link #buffers()}: given by the builder, or made on the first call. Written
     * once, under the lock; read without it: the volatile write publishes the pool it names.
     */
    private volatile BufferPool buffers;
    /**
     * spawnBlocking calls submitted and not done, for a manual clock's auto-advance: counted down
     * before the call's result completes its task, so a runtime woken by that result sees zero.
     * (The pool's own active count lags: a thread counts as active until after the call returns.)
     */
    private final AtomicInteger blockingInFlight = new AtomicInteger();
    private final ExecutorService executorView = new RuntimeExecutorService(this);
    /** Set when shutdown had to cancel live tasks; read by later shutdown callers. */
    private volatile boolean cancelledLiveTasks;
    /** Set, under its own monitor, once shutting down and no task is live; see awaitNoTaskLive. */
    private boolean drained;

    /**
     * Creates the shared parts; the subclass moves the lifecycle to RUNNING when it is ready.
     *
     * @param config         the validated options
     * @param registryShards shards of the registry of waiting tasks
     * @param workers        threads that count their spawns and ends in counts of their own
     * @param timerDrivers   threads that count as busy driving the runtime at first, for a
     *                       manual clock's auto-advance (see {@link Timers})
     */
    protected RuntimeBase(RuntimeConfig config, int registryShards, int workers, int timerDrivers) {
        this.config = Objects.requireNonNull(config, "config");
        this.lifecycle = new RuntimeLifecycle(config.threadNamePrefix());
        this.clock = config.clock();
        this.registry = new TaskRegistry(registryShards);
        this.counters = new TaskCounters(workers);
        this.blockingPool = newBlockingPool(config);
        this.cleanup = new IdleCleanup(config.clock(), config.cleanupThreshold());
        this.buffers = config.buffers();
        // The supplier is called only once the runtime runs, so it may use the subclass's fields.
        this.timers = new Timers(config.clock(), timerDrivers,
                () -> !blockingWorkInFlight() && nothingQueued());
    }

    private static ThreadPoolExecutor newBlockingPool(RuntimeConfig config) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.maxBlockingThreads(),
                config.maxBlockingThreads(), config.blockingKeepAlive().toNanos(),
                TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread t = new Thread(null, runnable,
                            config.threadNamePrefix() + "blocking-" + counter.getAndIncrement(),
                            config.threadStackSize());
                    t.setDaemon(true);
                    return t;
                });
        // Threads are started on demand up to the bound and retire when idle for the keep-alive.
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    // ---------------------------------------------------------------- spawning

    /**
     * Spawns a task.
     *
     * @param options priority, deadline and name
     * @param future  the future
     * @param <T>     the result's type
     * @return the task, which is its own join handle
     * @throws RejectedExecutionException if not RUNNING or the queue is full
     */
    @Override
    public final <T> Task<T> spawn(TaskOptions options, Future<T> future) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(future, "future");
        RuntimeState state = lifecycle.state();
        if (state != RuntimeState.RUNNING) {
            throw reject("spawn refused: the runtime is " + state);
        }
        if (!admitSpawn()) {
            throw reject("spawn refused: " + config.maxQueueSize()
                    + " tasks are queued, the maxQueueSize of this runtime");
        }
        Task<T> task = new Task<>(future, options, this);
        if (!startSpawned(task)) {
            cancelAdmission();
            throw reject("spawn refused: the runtime is " + lifecycle.state());
        }
        return task;
    }

    /**
     * Runs {@code callable} on the elastic pool of blocking threads, never on a worker, and
     * returns the handle of a task that completes with its result. Aborting the handle (or a
     * shutdown that cancels it) interrupts the blocking thread if the call is running, and keeps
     * it from starting if it is not.
     *
     * @param callable the blocking work
     * @param <T>      the result's type
     * @return the task's handle
     * @throws RejectedExecutionException if the runtime is not RUNNING
     */
    @Override
    public final <T> JoinHandle<T> spawnBlocking(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        // Counted down on the pool thread before the call's task is woken: see blockingInFlight.
        BlockingCall<T> call = new BlockingCall<>(callable, blockingInFlight::decrementAndGet);
        Task<T> task = spawn(BLOCKING_OPTIONS, call);
        blockingInFlight.incrementAndGet(); // before the abort below can end the call
        // An abort of the task (or a shutdown's) cancels the call: it does not start, or its
        // thread is interrupted. The task's end wakes this waiter, on the thread that ended it.
        Waker cancelCallIfAborted = () -> {
            if (task.isCancelled()) {
                call.cancel(true);
            }
        };
        if (!task.registerWaiter(cancelCallIfAborted)) {
            cancelCallIfAborted.wake(); // ended already: aborted by a shutdown that raced the spawn
        }
        try {
            blockingPool.execute(call);
        } catch (RejectedExecutionException shutDown) {
            call.refuse(shutDown); // the pool shuts down with the runtime, just after this spawn
        }
        return task;
    }

    /**
     * Tells whether {@code spawnBlocking} calls are queued or running: a manual clock does not
     * advance by itself meanwhile, since that work takes real time.
     *
     * @return true if some is
     */
    private boolean blockingWorkInFlight() {
        return blockingInFlight.get() > 0;
    }

    /**
     * Tells, from any thread, whether no task is queued to run: a racy answer, for a manual
     * clock's auto-advance, which asks only once every thread driving the runtime found nothing.
     *
     * @return true if every run queue looks empty
     */
    protected abstract boolean nothingQueued();

    /**
     * An interest was armed while no thread selects: wake an idle thread of the runtime, which
     * then takes the selector as it parks again (its threads may all have parked before the
     * runtime had a selector, or while another thread held it).
     */
    protected abstract void wakeToSelect();

    /**
     * Returns the {@link ExecutorService} view of this runtime.
     *
     * @return the view, the same on every call
     */
    @Override
    public final ExecutorService executorService() {
        return executorView;
    }

    /**
     * Counts a refused spawn and builds its exception.
     *
     * @param message says why
     * @return the exception to throw
     */
    protected final RejectedExecutionException reject(String message) {
        rejected.incrementAndGet();
        return new RejectedExecutionException(message);
    }

    /**
     * Tells whether a spawn fits under {@code maxQueueSize}; reserves room if the subclass counts.
     *
     * @return false to refuse the spawn
     */
    protected abstract boolean admitSpawn();

    /** Gives back what {@link #admitSpawn()} reserved, for a spawn refused afterwards. */
    protected abstract void cancelAdmission();

    /**
     * Counts a newly spawned task and queues it (it is notified and must be queued once); or
     * refuses it, counted as refused, if a shutdown began in between.
     *
     * @param task the task
     * @return false if refused
     */
    protected abstract boolean startSpawned(Task<?> task);

    /**
     * Returns the counts the calling thread writes: its own if it is a worker, else the shared.
     *
     * @return the counts
     */
    protected abstract TaskCounts countsOfCurrentThread();

    @Override
    public final boolean trackPending(Task<?> task) {
        return registry.add(task);
    }

    @Override
    public final void release(Task<?> task) {
        registry.removeIfAdded(task);
        countsOfCurrentThread().ended(task);
        signalIfDrained();
    }

    /**
     * If shutting down and no task is live, lets the subclass terminate and wakes the threads in
     * {@link #awaitNoTaskLive}. Called after each end while shutting down, and by a runtime's
     * thread after a full fence before it stops running tasks (see the class comment). Cheap
     * enough for that: a read of the state while running, and a sum over the counts only once
     * shutting down.
     */
    protected final void signalIfDrained() {
        if (lifecycle.state() != RuntimeState.SHUTTING_DOWN || !counters.noTaskLive()) {
            return;
        }
        onDrained();
        synchronized (counters) {
            drained = true;
            counters.notifyAll();
        }
    }

    /**
     * Waits until shutting down with no task live, the deadline, or an interrupt, which ends the
     * wait as the deadline would (see {@link #shutdown(Duration)}); the interrupt status is kept.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline, or {@link Nanos#FOREVER}
     * @return true if no task is live
     */
    protected final boolean awaitNoTaskLive(long deadlineNanos) {
        synchronized (counters) {
            while (!drained) {
                long remaining = Nanos.remaining(deadlineNanos, System.nanoTime());
                if (remaining == 0 || Thread.currentThread().isInterrupted()) {
                    return false;
                }
                try {
                    if (remaining == Nanos.FOREVER) {
                        counters.wait();
                    } else {
                        counters.wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // kept for the caller: see shutdown
                    return drained;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- driving

    /**
     * Drives {@code future} to completion on the calling thread.
     *
     * @param future the future
     * @param <T>    the result's type
     * @return its result
     */
    @Override
    public abstract <T> T blockOn(Future<T> future);

    /**
     * Runs ready tasks until none is ready; current-thread runtimes only.
     *
     * @return the number of polls made
     */
    @Override
    public abstract int runUntilStalled();

    /**
     * Polls the future given to blockOn once, applying the failure rules of tasks; the timers the
     * poll arms are held by {@code holds}, released when blockOn returns.
     *
     * @param future  the future
     * @param cx      its context
     * @param context the calling thread's context
     * @param holds   what the future holds
     * @param <T>     the result's type
     * @return the poll, never null
     */
    protected static <T> Poll<T> pollBlockOnFuture(Future<T> future, Context cx,
            ThreadContext context, HeldResources holds) {
        Poll<T> poll;
        context.polling(holds);
        try {
            poll = future.poll(cx);
        } catch (Throwable failure) {
            throw Failure.asUnchecked(failure, "the future given to blockOn");
        } finally {
            context.polling(null);
        }
        if (poll == null) {
            throw new NullPointerException("the future given to blockOn returned null from poll; "
                    + "return Poll.pending() or Poll.ready(value)");
        }
        return poll;
    }

    /**
     * Throws if the runtime is terminated.
     *
     * @param operation names the refused call
     */
    protected final void refuseIfTerminated(String operation) {
        if (lifecycle.state() == RuntimeState.TERMINATED) {
            throw new RejectedExecutionException(operation + " refused: the runtime is TERMINATED");
        }
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Shuts down; see {@link RuntimeCore#shutdown(Duration)}.
     *
     * @param timeout the grace period
     * @return true if every task ended on its own
     */
    /**
     * {@inheritDoc}
     *
     * <p>An interrupt of the calling thread, pending or arriving while it waits for the live
     * tasks, ends that wait as the timeout would: the first caller then cancels the tasks left at
     * once (as {@code ExecutorService.close()} turns an interrupt into {@code shutdownNow()}), a
     * later caller stops waiting for the first. The interrupt status is kept for the caller.
     */
    @Override
    public final boolean shutdown(Duration timeout) {
        long deadline = Nanos.deadline(System.nanoTime(), Nanos.of(timeout));
        refuseShutdownFromInside();
        if (!beginShutdown()) {
            // Another call is shutting down, or has: wait for it and report its result.
            return awaitTerminatedUnlessInterrupted(deadline) && !cancelledLiveTasks;
        }
        boolean clean = awaitDrained(deadline);
        if (!clean) {
            cancelEveryTask(null);
            blockingPool.shutdownNow(); // interrupts blocking work that outlived the grace period
        }
        long graceDeadline = Nanos.deadline(System.nanoTime(), THREAD_EXIT_GRACE_NANOS);
        awaitThreadsReleased(graceDeadline);
        awaitBlockingPool(graceDeadline);
        if (lifecycle.state() == RuntimeState.TERMINATED) {
            // the closes began at termination; they get what is left of the timeout, or a grace
            // of their own if the tasks and threads took all of it
            long now = System.nanoTime();
            registered.awaitClosed(Nanos.remaining(deadline, now) > THREAD_EXIT_GRACE_NANOS
                    ? deadline : Nanos.deadline(now, THREAD_EXIT_GRACE_NANOS));
            BufferPool own = buffers;
            if (own != null && own != config.buffers()) {
                // Closed already (registered), but on the closer's thread: again on this one,
                // into whose cache the tasks it cancelled released their buffers, and now that
                // the workers ended, their caches go too. close() is idempotent.
                own.close();
            }
        } else {
            registered.reportWaitingForTermination();
        }
        return clean;
    }

    @Override
    public final void register(AsyncCloseable resource) {
        registered.register(resource);
    }

    @Override
    public final BufferPool buffers() {
        BufferPool pool = buffers;
        if (pool != null) {
            return pool;
        }
        // Under the resources' lock, which their closing takes too: the pool is registered
        // before the closing begins, or made after it and closed here at once.
        synchronized (registered) {
            pool = buffers;
            if (pool == null) {
                pool = BufferPool.create();
                try {
                    registered.register(pool); // closed at shutdown, with the other resources
                } catch (RejectedExecutionException shutDown) {
                    pool.close(); // made after the resources were closed: closed as they were
                }
                buffers = pool;
            }
            return pool;
        }
    }

    /**
     * Runs the cleanup pass the runtime owes, if it is due and no other thread runs it; for a
     * thread with nothing else to do (see {@link IdleCleanup}).
     *
     * @param workArrived tells whether work arrived, to stop between batches
     * @return how long the caller may park before the next pass is due, or {@link Nanos#FOREVER}
     */
    protected final long cleanUpIfDue(BooleanSupplier workArrived) {
        return cleanup.runIfDue(buffers, workArrived);
    }

    /**
     * Waits for TERMINATED until the deadline or an interrupt, whose status is kept.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline, or {@link Nanos#FOREVER}
     * @return true if terminated
     */
    protected final boolean awaitTerminatedUnlessInterrupted(long deadlineNanos) {
        try {
            return lifecycle.awaitTerminated(deadlineNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lifecycle.state() == RuntimeState.TERMINATED;
        }
    }

    /**
     * Moves RUNNING to SHUTTING_DOWN: spawns are refused from now on; the runtime terminates by
     * itself once no task is live. Does not block.
     *
     * @return false if another call began the shutdown already
     */
    public final boolean beginShutdown() {
        if (!lifecycle.tryTransition(RuntimeState.RUNNING, RuntimeState.SHUTTING_DOWN)) {
            return false;
        }
        stopAcceptingSpawns();
        blockingPool.shutdown();
        signalIfDrained();
        return true;
    }

    /**
     * Begins the shutdown and cancels every live task at once; for
     * {@link ExecutorService#shutdownNow()}.
     *
     * @return the runnables given to the executor view that never started
     */
    public final List<Runnable> shutdownNow() {
        beginShutdown();
        List<Runnable> neverStarted = new ArrayList<>();
        cancelEveryTask(neverStarted);
        blockingPool.shutdownNow();
        return neverStarted;
    }

    /**
     * Aborts every live task: those queued and those waiting at once, those being polled when
     * their poll returns. The subclass first makes its threads abort, rather than poll, every task
     * they take from now on, and empties its queues into the list; the registry, closed so that no
     * task starts waiting unseen, gives the waiting ones. A task found twice (waiting, then woken
     * into a queue) is aborted once.
     *
     * @param neverStarted receives the commands of executor-view tasks never polled; or null
     */
    private void cancelEveryTask(List<Runnable> neverStarted) {
        cancelledLiveTasks = true;
        List<Task<?>> found = new ArrayList<>();
        stopPollingAndTakeQueued(found);
        registry.close();
        registry.collect(found);
        for (Task<?> task : found) {
            Future<?> unstarted = task.unstartedFuture(); // read first: the abort clears it
            if (task.abort() && neverStarted != null
                    && unstarted instanceof RuntimeExecutorService.RunnableFuture runnable) {
                neverStarted.add(runnable.command());
            }
        }
        signalIfDrained();
    }

    /**
     * Waits until TERMINATED, the deadline, or an interrupt; for
     * {@link ExecutorService#awaitTermination}. Returns at once if terminated, or if the deadline
     * has passed.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline, or {@link Nanos#FOREVER}
     * @return true if terminated
     * @throws InterruptedException if interrupted while waiting
     */
    public final boolean awaitTermination(long deadlineNanos) throws InterruptedException {
        return lifecycle.awaitTerminated(deadlineNanos);
    }

    /**
     * Called once the state is SHUTTING_DOWN, before the counts are read: closes any spawn path
     * that does not check the state itself after counting.
     */
    protected abstract void stopAcceptingSpawns();

    /**
     * From now on, the runtime's threads abort each task they take instead of polling it; then
     * takes every task out of the queues this thread can reach. Tasks only the runtime's own
     * thread can reach are registered from their spawn instead (the current-thread runtime).
     *
     * @param into receives the tasks taken
     */
    protected abstract void stopPollingAndTakeQueued(List<Task<?>> into);

    /** Throws {@link IllegalStateException} if the calling thread runs this runtime. */
    protected abstract void refuseShutdownFromInside();

    /**
     * Waits (or works) until no task is live, or the deadline.
     *
     * @param deadlineNanos a {@link System#nanoTime()} instant
     * @return true if no task is live
     */
    protected abstract boolean awaitDrained(long deadlineNanos);

    /**
     * SHUTTING_DOWN and no task live: the subclass lets its threads go and terminates. May be
     * called more than once.
     */
    protected abstract void onDrained();

    /**
     * Waits for the runtime's own threads to end after draining.
     *
     * @param deadlineNanos a {@link System#nanoTime()} instant
     */
    protected abstract void awaitThreadsReleased(long deadlineNanos);

    /**
     * Makes the long-poll watch of the threads that drive {@code contexts}, unless the builder
     * turned it off; the subclass's constructor calls it once, gives each thread its part
     * ({@link PollWatch#watched}) and starts the watch. It stops when the runtime terminates.
     *
     * @param contexts    the contexts of the threads that poll tasks
     * @param startParked whether those threads count as parked until they first wake
     * @return the watch, not started, or null if turned off
     */
    final PollWatch newPollWatch(ThreadContext[] contexts, boolean startParked) {
        if (config.longPollThreshold().isZero()) {
            return null;
        }
        pollWatch = new PollWatch(clock, config.threadNamePrefix(),
                Nanos.of(config.longPollThreshold()), contexts, startParked);
        return pollWatch;
    }

    /** Moves SHUTTING_DOWN to TERMINATED, once, then calls {@link #afterTerminated()}. */
    protected final void terminate() {
        if (lifecycle.tryTransition(RuntimeState.SHUTTING_DOWN, RuntimeState.TERMINATED)) {
            // every task ended and released its timers: only the clock's listener is left
            try {
                if (pollWatch != null) {
                    pollWatch.stop();
                }
                timers.close();
                io.close(); // the channels still open: a socket outlives no runtime
                registered.startClosing(config.threadNamePrefix() + "cleanup");
            } finally {
                afterTerminated(); // threads blocked on the runtime must see it terminated
            }
        }
    }

    /** Wakes threads blocked on the runtime, so they see it terminated. */
    protected abstract void afterTerminated();

    private void awaitBlockingPool(long deadlineNanos) {
        boolean interrupted = false;
        while (true) {
            try {
                blockingPool.awaitTermination(Nanos.remaining(deadlineNanos, System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- observation

    @Override
    public final RuntimeConfig config() {
        return config;
    }

    /**
     * Returns the lifecycle state.
     *
     * @return the state
     */
    @Override
    public final RuntimeState state() {
        return lifecycle.state();
    }

    /**
     * Returns a snapshot of the metrics.
     *
     * @return the snapshot
     */
    @Override
    public final RuntimeMetrics metrics() {
        TaskCounters.Totals counts = counters.totals();
        List<WorkerStats> stats = workerStats();
        List<WorkerMetrics> workers = new ArrayList<>(stats.size());
        long polls = 0;
        long wakes = 0;
        for (int i = 0; i < stats.size(); i++) {
            WorkerMetrics w = stats.get(i).snapshot(i);
            workers.add(w);
            polls += w.polls();
            wakes += w.wakes();
        }
        Priority[] priorities = Priority.values();
        List<RuntimeMetrics.PriorityMetrics> byPriority = new ArrayList<>(priorities.length);
        for (Priority p : priorities) {
            int level = p.ordinal();
            long started = 0;
            long late = 0;
            for (WorkerStats w : stats) {
                started += w.publishedStarted(level);
                late += w.publishedStartedAfterDeadline(level);
            }
            byPriority.add(
                    new RuntimeMetrics.PriorityMetrics(p, queuedTasks(level), started, late));
        }
        return new RuntimeMetrics(lifecycle.state(),
                Duration.ofNanos(System.nanoTime() - startNanos), counts.spawned(),
                counts.completed(), counts.failed(), counts.cancelled(), rejected.get(),
                counts.live(), polls, wakes, workers, byPriority,
                new RuntimeMetrics.TimerMetrics(timers.pending(), timers.fired(),
                        timers.cancelled()),
                new RuntimeMetrics.IoMetrics(io.registered(), total(workers,
                        WorkerMetrics::selects),
                        total(workers, WorkerMetrics::readinessEvents),
                        total(workers, WorkerMetrics::selectWakeups)),
                buffers().stats(), globalQueueDepth(),
                pollWatch == null ? 0 : pollWatch.longPolls(), gcCount(),
                Duration.ofMillis(gcMillis()));
    }

    /**
     * The JVM's collectors, which do not change while it runs: looked up once, in a class
     * initializer, not on every snapshot (the first lookup starts the management machinery).
     */
    private static final class Collectors {
        static final List<GarbageCollectorMXBean> BEANS =
                ManagementFactory.getGarbageCollectorMXBeans();
    }

    /** Collections of every collector of the JVM so far; a collector that cannot tell counts 0. */
    private static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : Collectors.BEANS) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /** The time those collections took, in milliseconds, as their MXBeans report it. */
    private static long gcMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean gc : Collectors.BEANS) {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    private static long total(List<WorkerMetrics> workers,
            java.util.function.ToLongFunction<WorkerMetrics> f) {
        long sum = 0;
        for (WorkerMetrics w : workers) {
            sum += f.applyAsLong(w);
        }
        return sum;
    }

    /**
     * Returns each worker's statistics, in worker index order.
     *
     * @return one entry per worker
     */
    protected abstract List<WorkerStats> workerStats();

    /**
     * Tasks of a priority level waiting in run queues: an estimate made of racy reads.
     *
     * @param level 0 (CRITICAL) to {@code Rank.LEVELS - 1}
     * @return the count, or -1 without priority scheduling
     */
    protected abstract long queuedTasks(int level);

    /**
     * Tasks waiting in the global queue now, a racy read; 0 on a current-thread runtime, which
     * has none.
     *
     * @return the count
     */
    protected abstract long globalQueueDepth();
}
