package dev.weft.sched;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which workers are parked and how many are searching for work, so that new work wakes a worker
 * only when needed, and never more than half of the workers hunt for work at once (Tokio's idle
 * coordination).
 *
 * <h2>State</h2>
 * One atomic int: the number of searching workers in the high 16 bits, of unparked workers in
 * the low 16. The sleepers (a stack of parked worker indices, with a membership flag each) are
 * guarded by this object's monitor.
 *
 * <h2>No worker left asleep while a task waits</h2>
 * A producer publishes work, then (after a full fence) reads the state, and wakes a sleeper only
 * if nobody is searching. A worker about to park decrements its counts (an atomic RMW), and if it
 * was the last searcher, fences and looks at every queue once more before sleeping. The two
 * fences order these accesses (Dekker's pattern): either the producer sees a searcher, who then
 * sees the work, or the last searcher sees the work and wakes someone.
 */
final class Idle {

    private static final int SEARCHING_ONE = 1 << 16;
    private static final int UNPARKED_MASK = 0xFFFF;

    private final int workers;
    private final AtomicInteger state;

    // Guarded by this.
    private final int[] sleepers;
    private int sleeperCount;
    private final boolean[] sleeping;

    Idle(int workers) {
        this.workers = workers;
        this.state = new AtomicInteger(workers); // every worker starts unparked, none searching
        this.sleepers = new int[workers];
        this.sleeping = new boolean[workers];
    }

    private static int searching(int s) {
        return s >>> 16;
    }

    private static int unparked(int s) {
        return s & UNPARKED_MASK;
    }

    private boolean shouldWakeOne(int s) {
        return searching(s) == 0 && unparked(s) < workers;
    }

    /**
     * New work was published: picks a parked worker to wake, if nobody is searching. The picked
     * worker is counted as unparked and searching at once, so the next producer does not wake
     * another for the same work.
     *
     * @return the index of the worker to unpark, or -1
     */
    int workerToWake() {
        VarHandle.fullFence(); // the producer's side of the Dekker pattern: publish, fence, read
        if (!shouldWakeOne(state.get())) {
            return -1;
        }
        synchronized (this) {
            if (!shouldWakeOne(state.get()) || sleeperCount == 0) {
                return -1;
            }
            int worker = sleepers[--sleeperCount];
            sleeping[worker] = false;
            state.addAndGet(SEARCHING_ONE + 1);
            return worker;
        }
    }

    /**
     * A worker that found no work of its own wants to search. Refused when half of the workers
     * are searching already (racy, as in Tokio: a bound on average, not a lock).
     *
     * @return true if the worker may search
     */
    boolean tryStartSearching() {
        if (2 * searching(state.get()) >= workers) {
            return false;
        }
        state.addAndGet(SEARCHING_ONE);
        return true;
    }

    /**
     * A searching worker found work.
     *
     * @return true if it was the last searcher: it must then wake another worker to look for the
     *         rest of the work, if any
     */
    boolean stopSearching() {
        return searching(state.getAndAdd(-SEARCHING_ONE)) == 1;
    }

    /**
     * A worker is going to park.
     *
     * @param worker    its index
     * @param searching whether it was searching
     * @return true if it was the last searcher: it must then look at every queue once more
     */
    boolean park(int worker, boolean searching) {
        int previous;
        synchronized (this) {
            previous = state.getAndAdd(-(1 + (searching ? SEARCHING_ONE : 0)));
            sleepers[sleeperCount++] = worker;
            sleeping[worker] = true;
        }
        return searching && searching(previous) == 1;
    }

    /**
     * A parked worker whose own timer came due leaves the sleepers by itself, counted as unparked
     * and not searching (it has the tasks its timers wake to run). Refused if
     * {@link #workerToWake()} picked it meanwhile: it is then unparked and searching already.
     *
     * @param worker its index
     * @return true if it left the sleepers here
     */
    synchronized boolean leaveSleepers(int worker) {
        if (!sleeping[worker]) {
            return false;
        }
        sleeping[worker] = false;
        for (int i = 0; i < sleeperCount; i++) {
            if (sleepers[i] == worker) {
                System.arraycopy(sleepers, i + 1, sleepers, i, sleeperCount - i - 1);
                sleeperCount--;
                break;
            }
        }
        state.incrementAndGet(); // unparked, not searching
        return true;
    }

    /**
     * Tells whether a worker is still among the sleepers: after its park returns, a worker that
     * is not was woken by {@link #workerToWake()} (and is searching); one that is woke spuriously.
     *
     * @param worker its index
     * @return true if still parked
     */
    synchronized boolean isParked(int worker) {
        return sleeping[worker];
    }

    /**
     * Counts for tests and metrics.
     *
     * @return {searching, unparked}
     */
    int[] counts() {
        int s = state.get();
        return new int[] {searching(s), unparked(s)};
    }
}
