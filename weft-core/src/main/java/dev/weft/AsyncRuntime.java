package dev.weft;

import dev.weft.buffer.BufferPool;
import dev.weft.runtime.RuntimeConfig;
import dev.weft.runtime.RuntimeCore;
import dev.weft.sched.CurrentThreadRuntime;
import dev.weft.sched.MultiThreadRuntime;
import dev.weft.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * A Weft runtime: it runs spawned futures as tasks and drives futures to completion.
 *
 * <p>Two kinds:
 * <ul>
 *   <li>{@link #currentThread()}: no threads of its own. Tasks run on the thread that drives the
 *       runtime, in {@link #blockOn}, {@link #runUntilStalled()}, {@link JoinHandle#join()} or
 *       {@link #shutdown}; the first thread to drive it becomes its owner, and only the owner
 *       drives it after that, so its tasks never leave that thread and need not be thread-safe.
 *       Any thread may spawn and wake tasks on it.</li>
 *   <li>{@link #builder()}: the multi-thread, work-stealing runtime. {@code workerThreads}
 *       worker threads run the tasks; each has its own queue and steals from the others when it
 *       runs dry; idle workers park and use no CPU. {@link #blockOn} polls its future on the
 *       calling thread while the workers run the tasks.</li>
 * </ul>
 * Both run blocking work given to {@link #spawnBlocking} on a separate, elastic pool of threads.
 *
 * <pre>{@code
 * try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
 *     JoinHandle<Integer> answer = runtime.spawn(Async.ready(41).map(x -> x + 1));
 *     System.out.println(runtime.blockOn(answer)); // 42
 * }
 * }</pre>
 *
 * <p>Lifecycle ({@link RuntimeState}): {@link Builder#build()} returns a RUNNING runtime;
 * {@link #shutdown} moves it to SHUTTING_DOWN, then TERMINATED. Spawning on a runtime that is not
 * RUNNING throws {@link java.util.concurrent.RejectedExecutionException} naming its state.
 *
 * <p>An {@code AsyncRuntime} is a handle: {@link Async#current()} returns one for the runtime the
 * calling task runs on, equal to the one {@code build()} returned (see {@link #equals}).
 */
public final class AsyncRuntime implements AutoCloseable {

    /** The options of a task spawned without any. */
    static final TaskOptions DEFAULT_OPTIONS = TaskOptions.priority(Priority.NORMAL);

    private final RuntimeCore core;

    /** A handle of a runtime built already. */
    AsyncRuntime(RuntimeCore core) {
        this.core = core;
    }

    /**
     * Returns a builder of a multi-thread, work-stealing runtime.
     *
     * @return a new builder with default options
     */
    public static Builder builder() {
        return new Builder(true);
    }

    /**
     * Returns a builder of a current-thread runtime.
     *
     * @return a new builder with default options
     */
    public static Builder currentThread() {
        return new Builder(false);
    }

    /**
     * Drives {@code future} to completion on the calling thread, running this runtime's tasks
     * meanwhile on a current-thread runtime, and returns its result. A failure is rethrown like a
     * task's: unchecked exceptions as they are, checked ones wrapped in
     * {@link TaskFailedException}.
     *
     * @param future the future
     * @param <T>    its result type
     * @return the result
     * @throws IllegalStateException if called from inside a runtime (a task, or another blockOn),
     *                               or, on a current-thread runtime, from a thread that is not
     *                               its owner
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is terminated
     * @throws TaskCancelledException if the runtime is shut down while the future waits
     */
    public <T> T blockOn(Future<T> future) {
        return core.blockOn(future);
    }

    /**
     * Spawns a task of NORMAL priority.
     *
     * @param future the task's future
     * @param <T>    its result type
     * @return the task's handle
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is not RUNNING, or
     *                                                         {@code maxQueueSize} tasks are queued
     */
    public <T> JoinHandle<T> spawn(Future<T> future) {
        return core.spawn(DEFAULT_OPTIONS, future);
    }

    /**
     * Spawns a task with options.
     *
     * @param options priority, deadline and name
     * @param future  the task's future
     * @param <T>     its result type
     * @return the task's handle
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is not RUNNING, or
     *                                                         {@code maxQueueSize} tasks are queued
     */
    public <T> JoinHandle<T> spawn(TaskOptions options, Future<T> future) {
        return core.spawn(options, future);
    }

    /**
     * Runs blocking work (file I/O, JDBC, a lock) on the runtime's pool of blocking threads, so
     * that it never occupies a worker, and returns the handle of a task that completes with its
     * result. The pool starts threads on demand up to {@code maxBlockingThreads}, queues work
     * beyond that, and retires threads idle for {@code blockingKeepAlive}. Aborting the handle
     * keeps work that has not started from starting, and interrupts the thread running work that
     * has (what the work does with the interrupt is up to it); so does a shutdown that cancels
     * the task, and a shutdown whose grace period ends interrupts every blocking thread.
     *
     * @param callable the blocking work; what it throws fails the task
     * @param <T>      its result type
     * @return the task's handle
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is not RUNNING
     */
    public <T> JoinHandle<T> spawnBlocking(Callable<T> callable) {
        return core.spawnBlocking(callable);
    }

    /**
     * Returns an {@link ExecutorService} view of this runtime, for code written against
     * executors: each command runs as a task. Shutting the view down shuts the runtime down:
     * {@code shutdown()} refuses new work and returns at once, {@code shutdownNow()} cancels every
     * live task and returns the commands that never started, {@code awaitTermination} waits for
     * the runtime to terminate. On a current-thread runtime, commands run only while its owner
     * drives it.
     *
     * @return the view; the same object on every call
     */
    public ExecutorService asExecutorService() {
        return core.executorService();
    }

    /**
     * Runs ready tasks on the calling thread until none is ready, then returns without waiting
     * (the single-thread executor's loop). Current-thread runtimes only.
     *
     * @return the number of polls made
     * @throws UnsupportedOperationException on a multi-thread runtime, whose workers run tasks on
     *                                       their own
     * @throws IllegalStateException         if called from inside a runtime, or from a thread that
     *                                       is not the owner
     */
    public int runUntilStalled() {
        return core.runUntilStalled();
    }

    /**
     * Returns the lifecycle state.
     *
     * @return the state
     */
    public RuntimeState state() {
        return core.state();
    }

    /**
     * Returns a snapshot of what the runtime has done so far. Its {@link RuntimeMetrics#buffers()}
     * are {@code buffers().stats()}: reading them makes the runtime's pool if it had none yet.
     *
     * @return the metrics
     */
    public RuntimeMetrics metrics() {
        return core.metrics();
    }

    /**
     * Returns the runtime's buffer pool, which {@link dev.weft.net.TcpStream#readBuffer()} reads
     * into and tasks may acquire from: the pool given to {@link Builder#buffers}, or by default
     * one the runtime makes on the first call (direct buffers, at most 64 MiB retained) and closes
     * when it shuts down. Its figures are in {@link RuntimeMetrics#buffers()}. While the runtime
     * has nothing else to do, one of its threads gives back, about once a second and in batches
     * of {@link Builder#cleanupThreshold} buffers, the pool's free buffers that nothing needed
     * for a whole interval ({@link BufferPool#trim}): a runtime gone idle gives back its pool's
     * shared level a few seconds later (each thread's own cache stays until the thread ends).
     * Called after the runtime shut down, it returns a closed pool, whose {@code acquire}
     * throws {@link IllegalStateException}.
     *
     * @return the pool
     */
    public BufferPool buffers() {
        return core.buffers();
    }

    /**
     * Registers a resource for the runtime to close, with its {@code close()}, when it shuts
     * down, after its tasks are done: resources close newest first, each once (registering the
     * same object again does nothing), on a thread of their own (never a worker), within the
     * shutdown's timeout (or a second past it, if the tasks took all of it). A close that
     * throws is reported through {@link System.Logger} and the others still close; one that has
     * not ended by then is reported, and the shutdown returns without it. The runtime holds the
     * resource until it shuts down.
     *
     * @param resource the resource, not null
     * @throws NullPointerException if {@code resource} is null
     * @throws java.util.concurrent.RejectedExecutionException if the runtime has closed its
     *         resources already
     */
    public void register(AsyncCloseable resource) {
        core.register(Objects.requireNonNull(resource, "resource"));
    }

    /**
     * Shuts the runtime down: refuses new spawns at once, lets live tasks run until they end or
     * {@code timeout} passes, then cancels the rest (their handles complete with
     * {@link TaskCancelledException}) and releases every thread. Calling it again waits for the
     * first call and returns its result.
     *
     * @param timeout the grace period, zero or more
     * @return true if every task ended on its own; false if some were cancelled
     * @throws IllegalArgumentException if the timeout is negative
     * @throws IllegalStateException    if called from inside this runtime
     */
    public boolean shutdown(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout must not be negative, was "
                    + timeout);
        }
        return core.shutdown(timeout);
    }

    /** Shuts down with the builder's {@code shutdownTimeout} (10 seconds unless set). */
    @Override
    public void close() {
        shutdown(core.config().shutdownTimeout());
    }

    /**
     * Tells whether {@code other} is a handle of the same runtime.
     *
     * @param other any object
     * @return true if it is an {@code AsyncRuntime} of the same runtime
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof AsyncRuntime that && that.core == core;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(core);
    }

    @Override
    public String toString() {
        return "AsyncRuntime[" + core.kind() + ", " + state() + "]";
    }

    /**
     * Options of a runtime. Each is validated when set: a value out of range throws
     * {@link IllegalArgumentException} naming the option and the value, and an option that does
     * not apply to the kind of runtime throws {@link IllegalStateException}.
     */
    public static final class Builder {

        /** The most worker threads a runtime may have (as ForkJoinPool's limit). */
        static final int MAX_WORKER_THREADS = 0x7fff;

        private final boolean multiThread;
        private int workerThreads = Runtime.getRuntime().availableProcessors();
        private String threadNamePrefix = "weft-worker-";
        private long threadStackSize;
        private int maxQueueSize = Integer.MAX_VALUE;
        private boolean workStealing = true;
        private boolean priorityScheduling = true;
        private Duration starvationThreshold = Duration.ofMillis(100);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private int maxBlockingThreads = 512;
        private Duration blockingKeepAlive = Duration.ofSeconds(10);
        private Runnable onWorkerStart = () -> { };
        private Runnable onWorkerStop = () -> { };
        private Clock clock = Clock.system();
        private BufferPool buffers;
        private int cleanupThreshold = 100;
        private Duration longPollThreshold = Duration.ofMillis(100);

        private Builder(boolean multiThread) {
            this.multiThread = multiThread;
        }

        /**
         * Sets the number of worker threads. Default: the number of available processors.
         *
         * @param n between 1 and 32767
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException    on a current-thread builder
         */
        public Builder workerThreads(int n) {
            requireMultiThread("workerThreads");
            if (n < 1 || n > MAX_WORKER_THREADS) {
                throw new IllegalArgumentException(
                        "workerThreads must be between 1 and " + MAX_WORKER_THREADS + ", was " + n);
            }
            workerThreads = n;
            return this;
        }

        /**
         * Sets the prefix of thread names: worker i is named prefix + i, blocking thread j
         * prefix + "blocking-" + j. Default: {@code weft-worker-}.
         *
         * @param prefix a non-blank prefix
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder threadNamePrefix(String prefix) {
            Objects.requireNonNull(prefix, "threadNamePrefix");
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("threadNamePrefix must not be blank, was '"
                        + prefix + "'");
            }
            threadNamePrefix = prefix;
            return this;
        }

        /**
         * Sets the stack size of worker and blocking threads. Default: the JVM's.
         *
         * @param bytes at least 1; the JVM may round it
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder threadStackSize(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("threadStackSize must be at least 1 byte, was "
                        + bytes);
            }
            threadStackSize = bytes;
            return this;
        }

        /**
         * Bounds the number of tasks queued to run: a spawn beyond it throws
         * {@link java.util.concurrent.RejectedExecutionException}. Wakes are never refused.
         * Default: unbounded.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxQueueSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxQueueSize must be at least 1, was " + n);
            }
            maxQueueSize = n;
            return this;
        }

        /**
         * Switches work stealing between workers on or off. Default: on.
         *
         * @param on whether idle workers steal
         * @return this builder
         * @throws IllegalStateException on a current-thread builder
         */
        public Builder workStealing(boolean on) {
            requireMultiThread("workStealing");
            workStealing = on;
            return this;
        }

        /**
         * Switches priority scheduling on or off; off, ready tasks run in FIFO order whatever
         * their priority. Default: on.
         *
         * @param on whether ready tasks run by priority
         * @return this builder
         */
        public Builder priorityScheduling(boolean on) {
            priorityScheduling = on;
            return this;
        }

        /**
         * Sets the longest time a ready task may wait behind higher priorities. Default: 100 ms.
         *
         * @param threshold zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder starvationThreshold(Duration threshold) {
            starvationThreshold = nonNegative("starvationThreshold", threshold);
            return this;
        }

        /**
         * Sets the grace period {@link AsyncRuntime#close()} gives running tasks. Default: 10 s.
         *
         * @param timeout zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder shutdownTimeout(Duration timeout) {
            shutdownTimeout = nonNegative("shutdownTimeout", timeout);
            return this;
        }

        /**
         * Bounds the pool of threads that run {@link AsyncRuntime#spawnBlocking} work; work beyond
         * it waits for a thread. Default: 512.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxBlockingThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxBlockingThreads must be at least 1, was "
                        + n);
            }
            maxBlockingThreads = n;
            return this;
        }

        /**
         * Sets how long an idle blocking thread waits for work before it retires. Default: 10 s.
         *
         * @param keepAlive more than zero
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder blockingKeepAlive(Duration keepAlive) {
            Objects.requireNonNull(keepAlive, "blockingKeepAlive");
            if (keepAlive.isNegative() || keepAlive.isZero()) {
                throw new IllegalArgumentException("blockingKeepAlive must be more than zero, was "
                        + keepAlive);
            }
            blockingKeepAlive = keepAlive;
            return this;
        }

        /**
         * Sets a hook each worker thread runs when it starts, before any task: the place to set
         * thread affinity or a thread-local. If it throws, {@link #build()} fails with it.
         *
         * @param hook the hook
         * @return this builder
         * @throws IllegalStateException on a current-thread builder
         */
        public Builder onWorkerStart(Runnable hook) {
            requireMultiThread("onWorkerStart");
            onWorkerStart = Objects.requireNonNull(hook, "onWorkerStart");
            return this;
        }

        /**
         * Sets a hook each worker thread runs when it stops, after its last task. What it throws
         * is logged.
         *
         * @param hook the hook
         * @return this builder
         * @throws IllegalStateException on a current-thread builder
         */
        public Builder onWorkerStop(Runnable hook) {
            requireMultiThread("onWorkerStop");
            onWorkerStop = Objects.requireNonNull(hook, "onWorkerStop");
            return this;
        }

        /**
         * Sets the clock the runtime's timers run on. Default: {@link Clock#system()}. Tests give
         * a {@link dev.weft.time.ManualClock}, which moves only when told to (or, with
         * auto-advance, jumps to the next timer whenever the runtime has nothing else to do).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the pool {@link AsyncRuntime#buffers()} returns: the caller's, which the runtime
         * uses and trims when idle but does not close. Default: one the runtime makes and closes.
         *
         * @param pool the pool
         * @return this builder
         */
        public Builder buffers(BufferPool pool) {
            this.buffers = Objects.requireNonNull(pool, "buffers");
            return this;
        }

        /**
         * Sets the most buffers one batch of the idle cleanup gives back to the JVM before it
         * looks for work again (the seed's gc threshold). Default: 100.
         *
         * @param n 1 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is below 1
         */
        public Builder cleanupThreshold(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("cleanupThreshold must be 1 or more, was " + n);
            }
            this.cleanupThreshold = n;
            return this;
        }

        /**
         * Sets how long one poll of a task may hold its thread before the runtime reports it, at
         * WARNING through {@link System.Logger} (logger {@code dev.weft.sched.PollWatch}) with
         * the task's name and the thread's stack, and again as stuck if it has not returned after
         * a second (or four thresholds, if longer); when it returns, its time is reported and a
         * {@code dev.weft.LongPoll} flight recorder event records it. Polls are sampled every
         * quarter threshold, by one thread of the JVM for every runtime, which sleeps while their
         * workers are idle; the polls themselves read no clock for it. On a current-thread
         * runtime the future given to {@code blockOn} is watched too; the callers of a
         * multi-thread runtime's {@code blockOn} are not. Default: 100 ms.
         *
         * @param threshold 1 ms or more, or zero for no watch of long polls
         * @return this builder
         * @throws IllegalArgumentException if negative, or between zero and 1 ms
         */
        public Builder longPollThreshold(Duration threshold) {
            nonNegative("longPollThreshold", threshold);
            if (!threshold.isZero() && threshold.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("longPollThreshold must be zero (no watch) or "
                        + "1 ms or more, was " + threshold);
            }
            longPollThreshold = threshold;
            return this;
        }

        /**
         * Builds and starts the runtime; a multi-thread one returns once every worker started.
         *
         * @return a RUNNING runtime
         * @throws IllegalStateException if an {@code onWorkerStart} hook threw
         */
        public AsyncRuntime build() {
            RuntimeConfig config = config();
            return new AsyncRuntime(multiThread ? new MultiThreadRuntime(config)
                    : new CurrentThreadRuntime(config));
        }

        private RuntimeConfig config() {
            return new RuntimeConfig(workerThreads, threadNamePrefix, threadStackSize, maxQueueSize,
                    workStealing, priorityScheduling, starvationThreshold, shutdownTimeout,
                    maxBlockingThreads, blockingKeepAlive, onWorkerStart, onWorkerStop, clock,
                    buffers, cleanupThreshold, longPollThreshold);
        }

        private void requireMultiThread(String option) {
            if (!multiThread) {
                throw new IllegalStateException(option
                        + " applies to multi-thread runtimes (AsyncRuntime.builder()); "
                        + "a current-thread runtime runs its tasks on the thread that drives it");
            }
        }

        /**
         * A duration checked for null and for a negative value, the message naming {@code option};
         * Async's timers check theirs here too.
         */
        static Duration nonNegative(String option, Duration d) {
            Objects.requireNonNull(d, option);
            if (d.isNegative()) {
                throw new IllegalArgumentException(option + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
