package dev.weft.sched;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread of the JVM that checks the long-poll watches of every runtime on the system
 * clock ({@link PollWatch}), each at its own interval: one thread however many runtimes there are,
 * started with the first watch and ended once none is left.
 *
 * <p>It holds the watches weakly: a runtime that was never shut down and is no longer reachable
 * (its threads ended or never started, as a current-thread runtime's) takes its watch with it,
 * and the watcher drops the entry at its next check.
 *
 * <h2>Dormancy</h2>
 * Once its checks found every watched thread of every runtime parked for lack of work
 * {@value #IDLE_CHECKS_BEFORE_DORMANT} times in a row, the watcher parks untimed: an idle JVM
 * wakes nothing. Dekker's pattern keeps a waking thread from being missed: the watcher writes
 * {@code dormant} (volatile), then reads every watched thread's {@code parked}; a thread that
 * wakes writes its {@code parked} (volatile), then reads {@code dormant} and, if set, unparks the
 * watcher. One of the two sees the other's write.
 */
final class PollWatcher {

    private static final System.Logger LOGGER = System.getLogger(PollWatcher.class.getName());

    /** Checks in a row that find every thread parked before the watcher goes dormant. */
    private static final int IDLE_CHECKS_BEFORE_DORMANT = 4;

    /** A watch and when it is due next, on System.nanoTime; guarded by LOCK. */
    private static final class Entry {
        final WeakReference<PollWatch> watch;
        long due;

        Entry(PollWatch watch, long due) {
            this.watch = new WeakReference<>(watch);
            this.due = due;
        }
    }

    private static final Object LOCK = new Object();
    /** Guarded by LOCK. */
    private static final List<Entry> ENTRIES = new ArrayList<>();
    /** Guarded by LOCK: the watcher thread, or null when none runs. */
    private static Thread watcher;
    private static volatile boolean dormant;
    /** Written under LOCK; read by {@link #rouseIfDormant} after {@code dormant}. */
    private static volatile Thread toRouse;

    private PollWatcher() {
    }

    /** Adds a watch, starting the watcher thread if none runs. */
    static void add(PollWatch watch) {
        synchronized (LOCK) {
            ENTRIES.add(new Entry(watch, System.nanoTime() + watch.checkNanos()));
            if (watcher == null) {
                Thread t = new Thread(null, PollWatcher::watch, "weft-poll-watch", 0, false);
                t.setDaemon(true);
                watcher = t;
                toRouse = t;
                t.start();
            } else {
                dormant = false;
                LockSupport.unpark(watcher); // it recomputes its sleep with the new interval
            }
        }
    }

    /** Removes a watch; the watcher thread ends once none is left. */
    static void remove(PollWatch watch) {
        synchronized (LOCK) {
            ENTRIES.removeIf(e -> e.watch.get() == watch || e.watch.get() == null);
            if (watcher != null) {
                LockSupport.unpark(watcher);
            }
        }
    }

    /** Called by a thread that woke: the waking half of the class's Dekker pattern. */
    static void rouseIfDormant() {
        if (dormant) {
            dormant = false;
            LockSupport.unpark(toRouse);
        }
    }

    /** The watcher thread's body. */
    private static void watch() {
        int idleChecks = 0;
        while (true) {
            long sleep;
            boolean anyAwake = false;
            List<PollWatch> due = new ArrayList<>();
            synchronized (LOCK) {
                if (ENTRIES.isEmpty()) {
                    watcher = null; // the next add starts a new thread
                    return;
                }
                long now = System.nanoTime();
                sleep = Long.MAX_VALUE;
                for (int i = ENTRIES.size() - 1; i >= 0; i--) {
                    Entry e = ENTRIES.get(i);
                    PollWatch w = e.watch.get();
                    if (w == null) {
                        ENTRIES.remove(i); // its runtime was dropped without a shutdown
                        continue;
                    }
                    if (now - e.due >= 0) {
                        due.add(w);
                        e.due = now + w.checkNanos();
                    }
                    sleep = Math.min(sleep, e.due - now);
                }
            }
            for (PollWatch w : due) {
                anyAwake |= checkReporting(w);
            }
            due.clear();
            if (anyAwake || !allParked()) {
                idleChecks = 0;
            } else if (++idleChecks >= IDLE_CHECKS_BEFORE_DORMANT) {
                idleChecks = 0;
                sleepWhileIdle();
                continue;
            }
            Thread.interrupted(); // an interrupt must not turn the park below into a spin
            LockSupport.parkNanos(PollWatcher.class, Math.max(0, sleep));
        }
    }

    /** Checks one watch; a check that throws (a logger's handler) is reported, not fatal. */
    private static boolean checkReporting(PollWatch w) {
        try {
            return w.checkNow();
        } catch (RuntimeException | Error e) {
            LOGGER.log(System.Logger.Level.ERROR, "a check of long polls failed", e);
            return true;
        }
    }

    private static boolean allParked() {
        synchronized (LOCK) {
            for (Entry e : ENTRIES) {
                PollWatch w = e.watch.get();
                if (w != null && !w.allParked()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Parks until a watched thread wakes or the watches change: the dormant half. */
    private static void sleepWhileIdle() {
        dormant = true;
        if (!allParked()) {
            dormant = false;
            return;
        }
        while (dormant) {
            Thread.interrupted();
            LockSupport.park(PollWatcher.class);
            synchronized (LOCK) {
                if (ENTRIES.isEmpty()) {
                    dormant = false;
                }
            }
        }
    }
}
