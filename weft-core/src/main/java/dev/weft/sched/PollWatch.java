package dev.weft.sched;

import dev.weft.jfr.LongPollEvent;
import dev.weft.runtime.ThreadContext;
import dev.weft.task.ResourceHolder;
import dev.weft.task.Task;
import dev.weft.time.Clock;
import dev.weft.time.ManualClock;
import dev.weft.time.driver.ManualClocks;
import java.util.concurrent.locks.LockSupport;

/**
 * The long-poll detector (Vert.x's blocked-thread checker, tokio-console's "never yielded"): a
 * poll that holds its thread past the threshold is reported once, at WARNING with the task's name
 * and where the thread is, and again if it has not returned after {@link #STUCK_NANOS}; when it
 * returns, its thread commits a {@link LongPollEvent} and reports how long it took.
 *
 * <h2>What the polling threads pay</h2>
 * Nothing that reads a clock, no fence, no atomic. Each thread's {@link ThreadContext} holds the
 * holder of its poll in progress and a count of the polls it began, plain fields it writes around
 * every poll anyway, which the watch reads racily; after each poll the thread reads one more plain
 * field on that line ({@link ThreadContext#pollFlagged()}). A racy sample may lag the thread: at
 * worst, one check misreads a new poll as the old one, and the next check sees the truth. The
 * watch samples the contexts every quarter threshold: the same holder and count at two samples
 * mean one poll lasted at least from the first to the second. So a poll is reported between one
 * threshold and a threshold and a quarter after the watch first saw it, and the figures are lower
 * bounds.
 *
 * <h2>Threads</h2>
 * On the system clock the watch has a daemon thread of its own. It goes dormant (an untimed park)
 * once every watched thread is parked for lack of work, so an idle runtime wakes nothing; a thread
 * that leaves its park rouses it ({@link Watched#awake}). Dekker's pattern settles the race: the
 * thread writes its volatile {@code parked}, then reads {@code dormant}; the watch writes
 * {@code dormant}, then reads every {@code parked}, so one of them sees the other. On a
 * {@link ManualClock} there is no thread: each move of the clock runs a check on the moving
 * thread, so tests decide when a poll has lasted long.
 */
final class PollWatch {

    /** How long a poll may hold its thread before it is reported a second time, as stuck. */
    static final long STUCK_NANOS = 1_000_000_000L;

    private static final System.Logger LOGGER = System.getLogger(PollWatch.class.getName());

    /** Checks in a row that find every thread parked before the watch goes dormant. */
    private static final int IDLE_CHECKS_BEFORE_DORMANT = 4;

    /**
     * One thread that polls tasks: its context, and what the watch saw of it. The fields after
     * {@code parked} are the watch's own, guarded by its monitor.
     */
    static final class Watched {
        private final PollWatch watch;
        private final ThreadContext context;
        /** The thread that drives the context now; written by it when it starts. */
        private volatile Thread thread;
        /** Whether the thread is parked for lack of work (or not driving at all). */
        private volatile boolean parked;

        private ResourceHolder seenHolder;
        private long seenPolls;
        private long seenSince;
        /** 0: nothing reported of the poll seen; 1: reported long; 2: reported stuck too. */
        private int reports;

        private Watched(PollWatch watch, ThreadContext context, boolean parked) {
            this.watch = watch;
            this.context = context;
            this.parked = parked;
        }

        /** The calling thread drives the context from now on. */
        void drivenBy(Thread driver) {
            thread = driver;
        }

        /** The thread is about to park for lack of work. */
        void parking() {
            parked = true;
        }

        /** The thread left its park: rouses the watch if it went dormant (see the class). */
        void awake() {
            parked = false;
            watch.rouseIfDormant();
        }

        /**
         * Called by the thread after a poll its context says was flagged
         * ({@link ThreadContext#pollFlagged()}): ends the report of that long poll. A report made
         * just as a poll returned is ended after the next one, its time then an overestimate by
         * at most that poll.
         */
        void afterFlaggedPoll() {
            if (context.takePollFlag() instanceof Report report) {
                watch.ended(report, thread);
            }
        }
    }

    /** A long poll the watch reported: what was polled, and since when the watch saw it. */
    private record Report(String what, long since) {
    }

    private final Clock clock;
    private final String runtimeName;
    private final long thresholdNanos;
    private final long checkNanos;
    private final Watched[] watched;
    private final Runnable onClockMoved = this::checkNow;
    private volatile boolean dormant;
    private volatile boolean stopped;
    /** Guarded by this: whether {@link #start()} ran. */
    private boolean started;
    /** Written under this, before the thread starts; read by rouseIfDormant after dormant. */
    private volatile Thread watcher;
    /** Polls reported long; written under this, read by metrics. */
    private volatile long longPolls;
    /** Consecutive checks that found every thread parked; the watcher thread's own. */
    private int idleChecks;

    /**
     * Creates the watch of {@code contexts}.
     *
     * @param clock          the runtime's clock
     * @param runtimeName    the runtime's thread name prefix, for events and the watch's thread
     * @param thresholdNanos how long a poll may last before it is reported; positive
     * @param contexts       the contexts of the threads that poll tasks
     * @param startParked    whether those threads count as parked until they first wake (a
     *                       current-thread runtime's, driven only now and then)
     */
    PollWatch(Clock clock, String runtimeName, long thresholdNanos, ThreadContext[] contexts,
            boolean startParked) {
        this.clock = clock;
        this.runtimeName = runtimeName;
        this.thresholdNanos = thresholdNanos;
        this.checkNanos = Math.max(1_000_000L, thresholdNanos / 4);
        this.watched = new Watched[contexts.length];
        for (int i = 0; i < contexts.length; i++) {
            watched[i] = new Watched(this, contexts[i], startParked);
        }
    }

    /**
     * The watch's view of the thread that drives {@code contexts[i]} of the constructor.
     *
     * @param i the index
     * @return what that thread tells the watch
     */
    Watched watched(int i) {
        return watched[i];
    }

    /**
     * Polls reported long so far.
     *
     * @return the count
     */
    long longPolls() {
        return longPolls;
    }

    /**
     * Starts watching: a thread of its own, or a listener of a manual clock. Does nothing if
     * started or stopped already.
     */
    synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        if (clock instanceof ManualClock manual) {
            ManualClocks.access().addListener(manual, onClockMoved);
            return;
        }
        Thread t = new Thread(this::watchUntilStopped, runtimeName + "watch");
        t.setDaemon(true);
        watcher = t;
        t.start();
    }

    /** Stops watching; the runtime terminated. */
    synchronized void stop() {
        stopped = true;
        if (clock instanceof ManualClock manual) {
            ManualClocks.access().removeListener(manual, onClockMoved);
        } else if (watcher != null) {
            LockSupport.unpark(watcher);
        }
    }

    private void watchUntilStopped() {
        while (!stopped) {
            LockSupport.parkNanos(this, checkNanos);
            if (stopped) {
                return;
            }
            if (checkNow()) {
                idleChecks = 0;
            } else if (++idleChecks >= IDLE_CHECKS_BEFORE_DORMANT) {
                idleChecks = 0;
                sleepWhileIdle();
            }
        }
    }

    /** Parks until a watched thread wakes: the dormant half of the class's Dekker pattern. */
    private void sleepWhileIdle() {
        dormant = true;
        for (Watched w : watched) {
            if (!w.parked) {
                dormant = false;
                return;
            }
        }
        while (dormant && !stopped) {
            LockSupport.park(this);
        }
    }

    private void rouseIfDormant() {
        if (dormant) {
            dormant = false;
            LockSupport.unpark(watcher);
        }
    }

    /**
     * Samples every watched thread once, and reports polls that lasted past the threshold.
     *
     * @return whether any watched thread was awake
     */
    private synchronized boolean checkNow() {
        long now = clock.nanoTime();
        boolean anyAwake = false;
        for (Watched w : watched) {
            anyAwake |= !w.parked;
            ResourceHolder holder = w.context.holderOpaque();
            long polls = w.context.pollsBegunOpaque();
            if (holder == null) {
                w.seenHolder = null;
                continue;
            }
            if (holder != w.seenHolder || polls != w.seenPolls) {
                w.seenHolder = holder;
                w.seenPolls = polls;
                w.seenSince = now;
                w.reports = 0;
                continue;
            }
            long lasted = now - w.seenSince;
            if (w.reports == 0 && lasted >= thresholdNanos) {
                w.reports = 1;
                longPolls++; // under this monitor: the only writer
                String what = describe(holder);
                report(w.thread, what + " has held " + threadName(w.thread) + " in one poll for at"
                        + " least " + millis(lasted) + " ms (the long-poll threshold is "
                        + millis(thresholdNanos) + " ms): a poll should return quickly; blocking "
                        + "work belongs in spawnBlocking. Where it is now:");
                w.context.flagPoll(new Report(what, w.seenSince));
            } else if (w.reports == 1 && lasted >= STUCK_NANOS && STUCK_NANOS > thresholdNanos) {
                w.reports = 2;
                report(w.thread, threadName(w.thread) + " has not come back from one poll of "
                        + describe(holder) + " for " + millis(lasted) + " ms: its other tasks "
                        + "wait, unless other workers steal them. Where it is now:");
            }
        }
        return anyAwake;
    }

    private void report(Thread thread, String message) {
        StringBuilder text = new StringBuilder(message);
        StackTraceElement[] stack = thread == null ? new StackTraceElement[0]
                : thread.getStackTrace();
        for (StackTraceElement frame : stack) {
            text.append(System.lineSeparator()).append("\tat ").append(frame);
        }
        LOGGER.log(System.Logger.Level.WARNING, text.toString());
    }

    /** The thread of a reported long poll has returned from it. */
    private void ended(Report report, Thread thread) {
        long lasted = clock.nanoTime() - report.since;
        LongPollEvent.commit(runtimeName, report.what, lasted);
        LOGGER.log(System.Logger.Level.INFO, () -> report.what + " returned from its long poll on "
                + threadName(thread) + " after at least " + millis(lasted) + " ms");
    }

    private static String describe(ResourceHolder holder) {
        return holder instanceof Task<?> task ? task.describe() : "the future given to blockOn";
    }

    private static String threadName(Thread thread) {
        return thread == null ? "its thread" : "thread '" + thread.getName() + "'";
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
