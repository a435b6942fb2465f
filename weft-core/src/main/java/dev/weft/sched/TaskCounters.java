package dev.weft.sched;

/**
 * The task counts of a runtime: one {@link TaskCounts} per worker, written by that worker only
 * (or per lock that serializes its writers), and one shared by every other thread. Spawning and
 * completing on a worker thus write a store each to a cache line the worker owns, instead of a
 * shared counter or lock.
 *
 * <h2>Knowing that no task is live</h2>
 * {@link #noTaskLive()} sums every end first, then every spawn. The sums can
 * only grow, and a task's end is counted after its spawn, by a thread that saw the spawn (the task
 * reached it through a queue, or through the spawn's return value): so an end the first pass
 * reads makes its task's spawn visible to the second. The ends read are therefore a subset of the
 * spawns read, and equal sums mean every spawn read has ended. A spawn the second pass missed can
 * only come from a task that is still live (whose end the first pass then missed, unbalancing the
 * sums), or from a thread outside the runtime, which {@link RuntimeBase} orders against shutdown.
 *
 * <p>The answer is exact for the moment between the two passes, and stays true while the runtime
 * refuses new spawns (SHUTTING_DOWN): with no task live, nothing is left to spawn from inside.
 */
final class TaskCounters {

    /** Totals for the metrics: spawns accepted, tasks ended by kind, and live tasks. */
    record Totals(long spawned, long completed, long failed, long cancelled, long live) {
    }

    /** The owned counts at indices 0 to owners - 1, then the shared counts. */
    private final TaskCounts[] all;

    /**
     * Creates the counts.
     *
     * @param owners how many threads own counts of their own
     */
    TaskCounters(int owners) {
        all = new TaskCounts[owners + 1];
        for (int i = 0; i < owners; i++) {
            all[i] = new TaskCounts(false);
        }
        all[owners] = new TaskCounts(true);
    }

    /**
     * Returns the counts that thread {@code index} alone writes.
     *
     * @param index the worker's index
     * @return its counts
     */
    TaskCounts owned(int index) {
        return all[index];
    }

    /**
     * Returns the counts every other thread writes.
     *
     * @return the shared counts
     */
    TaskCounts shared() {
        return all[all.length - 1];
    }

    /**
     * Tells whether every task spawned so far has ended; see the class comment.
     *
     * @return true if no task is live
     */
    boolean noTaskLive() {
        return totals().live() == 0;
    }

    /**
     * Sums the counts, ends first (see the class comment), so that live is never negative.
     *
     * @return the totals
     */
    Totals totals() {
        long completed = 0;
        long failed = 0;
        long cancelled = 0;
        long refused = 0;
        for (TaskCounts c : all) {
            completed += c.completedVolatile();
            failed += c.failedVolatile();
            cancelled += c.cancelledVolatile();
            refused += c.refusedVolatile();
        }
        long spawned = 0;
        for (TaskCounts c : all) {
            spawned += c.spawnedVolatile();
        }
        long accepted = spawned - refused;
        return new Totals(accepted, completed, failed, cancelled,
                accepted - completed - failed - cancelled);
    }
}
