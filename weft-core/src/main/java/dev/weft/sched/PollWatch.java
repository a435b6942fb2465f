package dev.weft.sched;

import dev.weft.jfr.LongPollEvent;
import dev.weft.runtime.ThreadContext;
import dev.weft.task.ResourceHolder;
import dev.weft.task.Task;
import dev.weft.time.Clock;
import dev.weft.time.ManualClock;
import dev.weft.time.driver.ManualClocks;

/**
 * The long-poll detector of one runtime (Vert.x's blocked-thread checker, tokio-console's "never
 * yielded"): a poll that holds its thread past the threshold is reported once, at WARNING with the
 * task's name and where the thread is, and again once stuck ({@link #stuckNanos}); when it ends,
 * a {@link LongPollEvent} is committed and its time reported.
 *
 * <h2>What the polling threads pay</h2>
 * Nothing that reads a clock, no fence, no atomic. Each thread's {@link ThreadContext} holds the
 * holder of its poll in progress and a count of the polls it began, plain fields it writes around
 * every poll anyway, which the watch reads racily; after each poll the thread reads one more plain
 * field on that line ({@link ThreadContext#pollFlagged()}). A racy sample may lag the thread: at
 * worst, one check misreads a new poll as the old one, and the next check sees the truth. The
 * watch samples the contexts every quarter threshold: the same holder and count at two samples
 * mean one poll lasted at least from the first to the second. So a poll is reported between one
 * and one and a half thresholds after it began (later if the watch was dormant), and the figures
 * are lower bounds.
 *
 * <h2>Ending a report</h2>
 * The watch flags the poll ({@link ThreadContext#flagPoll}) before it reports it. The thread
 * takes the flag after its poll, if it sees it, and ends the report with the poll's time; a flag
 * it missed (set as the poll returned, or a poll that threw out of {@code blockOn}) is taken back
 * by the watch's next check, which ends the report then, at most one check late. The flag is
 * taken by CAS, so each report is ended once.
 *
 * <h2>Threads</h2>
 * On the system clock, one daemon thread of the JVM ({@link PollWatcher}) checks every runtime's
 * watch; on a {@link ManualClock} there is none: each move of the clock checks, on the moving
 * thread, so tests decide when a poll has lasted long. The watcher goes dormant while every
 * watched thread of every runtime is parked for lack of work; a thread that leaves its park
 * rouses it ({@link Watched#awake}).
 */
final class PollWatch {

    private static final System.Logger LOGGER = System.getLogger(PollWatch.class.getName());

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
        /** The report flagged on the context and not known to be ended yet. */
        private Report flagged;

        private Watched(PollWatch watch, ThreadContext context, boolean parked) {
            this.watch = watch;
            this.context = context;
            this.parked = parked;
        }

        /** The calling thread drives the context from now on. */
        void drivenBy(Thread driver) {
            thread = driver;
        }

        /** The thread is about to park for lack of work, or stops driving. */
        void parking() {
            parked = true;
        }

        /**
         * The thread left its park or starts driving: rouses the watcher if it went dormant. The
         * volatile store, then the watcher's volatile flag read, are this side of Dekker's
         * pattern (see {@link PollWatcher}).
         */
        void awake() {
            parked = false;
            if (watch.manual == null) {
                PollWatcher.rouseIfDormant();
            }
        }

        /**
         * Called by the thread after a poll its context says was flagged
         * ({@link ThreadContext#pollFlagged()}): ends the report of that long poll, unless the
         * watch took the flag back first.
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
    /** The clock, if manual: checks run on its moves instead of the watcher thread. */
    private final ManualClock manual;
    private final String runtimeName;
    private final long thresholdNanos;
    /** How long a poll lasts before it is reported as stuck: a second, or 4 thresholds. */
    private final long stuckNanos;
    private final long checkNanos;
    private final Watched[] watched;
    private final Runnable onClockMoved = this::checkNow;
    /** Guarded by this: whether {@link #start()} ran, and whether {@link #stop()} did. */
    private boolean started;
    private boolean stopped;
    /** Polls reported long; written under this, read by metrics. */
    private volatile long longPolls;

    /**
     * Creates the watch of {@code contexts}.
     *
     * @param clock          the runtime's clock
     * @param runtimeName    the runtime's thread name prefix, for its events
     * @param thresholdNanos how long a poll may last before it is reported; 1 ms or more
     * @param contexts       the contexts of the threads that poll tasks
     * @param startParked    whether those threads count as parked until they first wake (a
     *                       current-thread runtime's, driven only now and then)
     */
    PollWatch(Clock clock, String runtimeName, long thresholdNanos, ThreadContext[] contexts,
            boolean startParked) {
        this.clock = clock;
        this.manual = clock instanceof ManualClock m ? m : null;
        this.runtimeName = runtimeName;
        this.thresholdNanos = thresholdNanos;
        this.stuckNanos = Math.max(1_000_000_000L, 4 * thresholdNanos);
        this.checkNanos = thresholdNanos / 4;
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

    /** Time between two checks of this watch, on its clock. */
    long checkNanos() {
        return checkNanos;
    }

    /**
     * Starts watching: joins the watcher thread, or listens to the manual clock. Does nothing if
     * started or stopped already.
     */
    synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        if (manual != null) {
            ManualClocks.access().addListener(manual, onClockMoved);
        } else {
            PollWatcher.add(this);
        }
    }

    /** Stops watching; the runtime terminated. */
    synchronized void stop() {
        stopped = true;
        if (!started) {
            return;
        }
        if (manual != null) {
            ManualClocks.access().removeListener(manual, onClockMoved);
        } else {
            PollWatcher.remove(this);
        }
    }

    /**
     * Tells whether every watched thread is parked; the watcher reads it after writing its
     * dormant flag (see {@link PollWatcher}).
     */
    boolean allParked() {
        for (Watched w : watched) {
            if (!w.parked) {
                return false;
            }
        }
        return true;
    }

    /**
     * Samples every watched thread once: ends reports whose poll ended, and reports polls that
     * lasted past the threshold.
     *
     * @return whether any watched thread was awake
     */
    synchronized boolean checkNow() {
        long now = clock.nanoTime();
        boolean anyAwake = false;
        for (Watched w : watched) {
            anyAwake |= !w.parked;
            ResourceHolder holder = w.context.holderOpaque();
            long polls = w.context.pollsBegunOpaque();
            boolean samePoll = holder != null && holder == w.seenHolder && polls == w.seenPolls;
            if (w.flagged != null && !samePoll) {
                // The reported poll ended: its thread took the flag, or the watch takes it back.
                if (w.context.takePollFlag() == w.flagged) {
                    ended(w.flagged, w.thread);
                }
                w.flagged = null;
            }
            if (!samePoll) {
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
                // Flagged before the report, which takes a while (a stack, a log): a poll that
                // returns meanwhile ends it, or the next check does.
                w.flagged = new Report(what, w.seenSince);
                w.context.flagPoll(w.flagged);
                report(w.thread, what + " has held " + threadName(w.thread) + " in one poll for at"
                        + " least " + millis(lasted) + " ms (the long-poll threshold is "
                        + millis(thresholdNanos) + " ms): a poll should return quickly; blocking "
                        + "work belongs in spawnBlocking. Where it is now:");
            } else if (w.reports == 1 && lasted >= stuckNanos) {
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

    /** A reported long poll has ended: commits its event and reports its time. */
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
