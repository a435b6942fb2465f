package dev.weft.sched;

import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.RuntimeMetrics;
import dev.weft.RuntimeState;
import dev.weft.TaskCancelledException;
import dev.weft.TaskOptions;
import dev.weft.task.Failure;
import dev.weft.task.Task;
import dev.weft.task.TaskRegistry;
import dev.weft.task.TaskScheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The current-thread runtime (seed section 3.2.4.3.2): no threads of its own; tasks run on the
 * thread that drives it, inside {@link #blockOn}, {@link #runUntilStalled}, a {@code join()} or
 * {@link #shutdown}.
 *
 * <h2>Overview</h2>
 * The first thread that drives the runtime becomes its owner, and only the owner drives it after
 * that; so a task spawned here never runs on another thread, and need not be thread-safe. Any
 * thread may spawn and wake tasks:
 * <ul>
 *   <li>on the owner, a scheduled task goes to the back of the run queue, a plain
 *       {@link ArrayDeque} only the owner touches;</li>
 *   <li>elsewhere, it goes to the {@link TaskInbox} (lock-free, intrusive) and the owner is
 *       unparked. The owner moves the inbox to the run queue before each batch of tasks.</li>
 * </ul>
 * The driving loop polls the blockOn future when it was woken, runs a batch of up to
 * {@link #BATCH} tasks in FIFO order, and parks when there is nothing to do. A task that wakes
 * itself (a yield) goes to the back of the queue, so every ready task makes progress.
 *
 * <h2>Shutdown</h2>
 * New spawns are refused at once. On the owner (or a thread that can still become it), shutdown
 * drives the live tasks until they end or the timeout passes; on another thread it waits, while
 * the owner, if it is inside blockOn, keeps running them. Tasks still live at the timeout are
 * aborted. An owner parked in blockOn is then woken and fails with
 * {@link TaskCancelledException}, so no thread stays blocked on a terminated runtime.
 */
public final class CurrentThreadRuntime implements RuntimeCore, TaskScheduler {

    /** Tasks run between two looks at the blockOn future and the inbox (as Tokio's 61). */
    static final int BATCH = 61;

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(CurrentThreadRuntime.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AsyncRuntime handle;
    private final RuntimeLifecycle lifecycle = new RuntimeLifecycle();
    private final TaskRegistry registry = new TaskRegistry();
    private final TaskInbox inbox = new TaskInbox();
    private final ThreadParker parker = new ThreadParker();
    private final WorkerStats stats = new WorkerStats();
    private final long startNanos = System.nanoTime();
    private final AtomicLong rejected = new AtomicLong();
    private final int maxQueueSize;
    /** Tasks queued to run, counted only when the queue is bounded; null otherwise. */
    private final AtomicInteger queued;

    /** The thread that drives the runtime; bound once, by CAS, by the first one to drive it. */
    private volatile Thread owner;
    /** Owner only: tasks ready to run, in FIFO order. */
    private final ArrayDeque<Task<?>> runQueue = new ArrayDeque<>();
    /** Owner only: an interrupt consumed by parking, restored when the owner stops driving. */
    private boolean interruptedWhileParked;
    /** The result of the shutdown, for later callers; written before TERMINATED is published. */
    private volatile boolean shutdownClean;

    /**
     * Creates the runtime, in state RUNNING.
     *
     * @param handle the public runtime object, for {@link dev.weft.Async#current()}
     * @param config the validated options
     */
    public CurrentThreadRuntime(AsyncRuntime handle, RuntimeConfig config) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.maxQueueSize = config.maxQueueSize();
        this.queued = config.boundedQueue() ? new AtomicInteger() : null;
        lifecycle.transition(RuntimeState.UNINITIALIZED, RuntimeState.INITIALIZING);
        // Nothing to start: the runtime borrows the thread that drives it.
        lifecycle.transition(RuntimeState.INITIALIZING, RuntimeState.RUNNING);
    }

    // ---------------------------------------------------------------- spawning and scheduling

    @Override
    public <T> Task<T> spawn(TaskOptions options, Future<T> future) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(future, "future");
        RuntimeState state = lifecycle.state();
        if (state != RuntimeState.RUNNING) {
            throw reject("spawn refused: the runtime is " + state);
        }
        if (queued != null && !reserveQueueSlot()) {
            throw reject("spawn refused: " + maxQueueSize + " tasks are queued, the maxQueueSize of this runtime");
        }
        Task<T> task = new Task<>(future, options, this);
        if (!registry.bind(task)) {
            if (queued != null) {
                queued.decrementAndGet();
            }
            throw reject("spawn refused: the runtime is " + lifecycle.state());
        }
        enqueue(task);
        return task;
    }

    private boolean reserveQueueSlot() {
        int n;
        do {
            n = queued.get();
            if (n >= maxQueueSize) {
                return false;
            }
        } while (!queued.compareAndSet(n, n + 1));
        return true;
    }

    private RejectedExecutionException reject(String message) {
        rejected.incrementAndGet();
        return new RejectedExecutionException(message);
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
            runQueue.addLast(task);
        } else {
            inbox.push(task);
            parker.unpark();
        }
    }

    @Override
    public void release(Task<?> task) {
        registry.remove(task);
        if (lifecycle.state() == RuntimeState.SHUTTING_DOWN) {
            parker.unpark(); // a shutdown driving the owner waits for the last task to end
        }
    }

    // ---------------------------------------------------------------- driving

    @Override
    public <T> T blockOn(Future<T> future) {
        Objects.requireNonNull(future, "future");
        refuseIfTerminated("blockOn");
        enterDriver("blockOn");
        AsyncRuntime previous = RuntimeContext.enter(handle);
        try {
            BlockOnWaker main = new BlockOnWaker(parker, Thread.currentThread());
            while (true) {
                if (main.takeNotification()) {
                    Poll<T> poll;
                    try {
                        poll = future.poll(main);
                    } catch (Throwable failure) {
                        throw Failure.asUnchecked(failure, "the future given to blockOn");
                    }
                    if (poll == null) {
                        throw new NullPointerException("the future given to blockOn returned null from poll; "
                                + "return Poll.pending() or Poll.ready(value)");
                    }
                    if (poll.isReady()) {
                        return poll.value();
                    }
                }
                if (runReady() > 0 || main.isNotified()) {
                    continue;
                }
                if (lifecycle.state() == RuntimeState.TERMINATED) {
                    throw new TaskCancelledException("the runtime was shut down while blockOn was waiting for its future");
                }
                park(Parker.FOREVER);
            }
        } finally {
            RuntimeContext.exit(previous);
            exitDriver();
        }
    }

    @Override
    public int runUntilStalled() {
        refuseIfTerminated("runUntilStalled");
        enterDriver("runUntilStalled");
        AsyncRuntime previous = RuntimeContext.enter(handle);
        try {
            int total = 0;
            int ran;
            while ((ran = runReady()) > 0) {
                total += ran;
            }
            return total;
        } finally {
            RuntimeContext.exit(previous);
            exitDriver();
        }
    }

    @Override
    public void awaitDone(Task<?> task) {
        Thread me = Thread.currentThread();
        if (RuntimeContext.current() != null) {
            throw new IllegalStateException("join() on " + task.describe() + " would block thread '" + me.getName()
                    + "', which is running a Weft runtime; await the JoinHandle from a task instead");
        }
        if (lifecycle.state() != RuntimeState.TERMINATED && bindOwner(me) == me) {
            // The owner outside the runtime: drive it until the task ends.
            blockOn(cx -> task.isDone() || !task.registerWaiter(cx.waker()) ? Poll.ready(null) : Poll.pending());
        } else {
            task.parkUntilDone();
        }
    }

    /** Runs up to {@link #BATCH} polls, after moving the inbox to the run queue. */
    private int runReady() {
        drainInbox();
        int polled = 0;
        Task<?> task;
        while (polled < BATCH && (task = runQueue.pollFirst()) != null) {
            if (queued != null) {
                queued.decrementAndGet();
            }
            int result = task.run();
            if (result == Task.SKIPPED) {
                continue; // a stale entry: the task was aborted while queued
            }
            polled++;
            stats.polled(task);
            if (result == Task.RESCHEDULE) {
                if (queued != null) {
                    queued.incrementAndGet();
                }
                runQueue.addLast(task);
            }
        }
        if (polled > 0) {
            stats.publish(runQueue.size());
        }
        return polled;
    }

    private void drainInbox() {
        Task<?> task = inbox.takeAll();
        while (task != null) {
            Task<?> next = task.nextScheduled();
            task.setNextScheduled(null);
            runQueue.addLast(task);
            task = next;
        }
    }

    private void park(long timeoutNanos) {
        stats.beforePark(runQueue.size());
        if (parker.park(timeoutNanos)) {
            interruptedWhileParked = true;
        }
        stats.afterPark();
    }

    private Thread bindOwner(Thread me) {
        if (owner == null && OWNER.compareAndSet(this, null, me)) {
            stats.runBy(me);
        }
        return owner;
    }

    private void enterDriver(String operation) {
        Thread me = Thread.currentThread();
        if (RuntimeContext.current() != null) {
            throw new IllegalStateException(operation + " called on thread '" + me.getName() + "', which is already "
                    + "running a Weft runtime (from a task, or from the future given to blockOn); blocking it would stall "
                    + "that runtime: await the future instead");
        }
        Thread bound = bindOwner(me);
        if (bound != me) {
            throw new IllegalStateException(operation + " on a current-thread runtime must be called from the thread that drives it, '"
                    + bound.getName() + "', not from '" + me.getName() + "'; other threads may spawn tasks on it");
        }
    }

    private void exitDriver() {
        if (interruptedWhileParked) {
            interruptedWhileParked = false;
            Thread.currentThread().interrupt();
        }
    }

    private void refuseIfTerminated(String operation) {
        if (lifecycle.state() == RuntimeState.TERMINATED) {
            throw new RejectedExecutionException(operation + " refused: the runtime is TERMINATED");
        }
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    public boolean shutdown(Duration timeout) {
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        Thread me = Thread.currentThread();
        boolean insideRuntime = RuntimeContext.current() != null;
        if (insideRuntime && me == owner) {
            throw new IllegalStateException("shutdown called from inside this runtime (from a task, or from the future "
                    + "given to blockOn), where it would wait for itself");
        }
        if (!lifecycle.tryTransition(RuntimeState.RUNNING, RuntimeState.SHUTTING_DOWN)) {
            // Another call is shutting down, or has: wait for it and report its result.
            return lifecycle.awaitTerminated(deadline) && shutdownClean;
        }
        registry.close();
        // Drive the tasks if this thread may (it owns the runtime, or nobody does yet and it is not
        // running another runtime); otherwise wait while the owner, if it is in blockOn, runs them.
        boolean canDrive = !insideRuntime && bindOwner(me) == me;
        boolean clean = canDrive ? driveUntilNoTask(deadline) : registry.awaitEmpty(deadline);
        if (!clean) {
            registry.abortAll();
        }
        if (canDrive) {
            drainInbox();
            runQueue.clear(); // only stale entries of ended tasks remain
            if (queued != null) {
                queued.set(0);
            }
        }
        shutdownClean = clean;
        lifecycle.transition(RuntimeState.SHUTTING_DOWN, RuntimeState.TERMINATED);
        parker.unpark(); // an owner parked in blockOn wakes up and sees TERMINATED
        return clean;
    }

    private boolean driveUntilNoTask(long deadline) {
        enterDriver("shutdown");
        AsyncRuntime previous = RuntimeContext.enter(handle);
        try {
            while (!registry.isEmpty()) {
                if (runReady() > 0) {
                    continue;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return registry.isEmpty();
                }
                park(remaining);
            }
            return true;
        } finally {
            RuntimeContext.exit(previous);
            exitDriver();
        }
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2; // centuries: effectively no deadline, and no overflow
        }
    }

    // ---------------------------------------------------------------- observation

    @Override
    public RuntimeState state() {
        return lifecycle.state();
    }

    @Override
    public RuntimeMetrics metrics() {
        TaskRegistry.Counts counts = registry.counts();
        return new RuntimeMetrics(lifecycle.state(), Duration.ofNanos(System.nanoTime() - startNanos),
                counts.spawned(), counts.completed(), counts.failed(), counts.cancelled(), rejected.get(),
                counts.live(), stats.polls(), stats.wakes(), List.of(stats.snapshot(0)));
    }
}
