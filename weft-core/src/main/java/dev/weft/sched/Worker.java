package dev.weft.sched;

import dev.weft.task.Task;

/**
 * One worker of a multi-thread runtime (seed section 3.2.4.2.1): a thread, a local run queue, a
 * LIFO slot, and the loop that finds tasks and runs them.
 *
 * <h2>Finding work, in order</h2>
 * <ol>
 *   <li>every {@value #GLOBAL_QUEUE_INTERVAL}th tick, the global queue first, so injected tasks
 *       run even while the local queue is never empty;</li>
 *   <li>its own queue, then a fair share of the global queue;</li>
 *   <li>stealing (if on, and fewer than half of the workers are searching): half of a victim's
 *       queue, victims tried from a random one on; then the global queue again; then, as a last
 *       resort, a busy victim's LIFO slot;</li>
 *   <li>otherwise it parks until new work wakes it (see {@link #prepareToPark()}).</li>
 * </ol>
 *
 * <h2>The LIFO slot</h2>
 * A task woken by the task running on this worker goes to the LIFO slot and runs right after it
 * (the message-passing case: the receiver runs while the message is hot). The task it displaces
 * goes to the back of the queue. At most {@value #MAX_LIFO_POLLS} LIFO tasks run in a row; the
 * next goes to the back of the queue, so two tasks waking each other cannot monopolize the
 * worker. A task woken during its own poll (a yield) always goes to the back of the queue. The
 * slot is read and written with atomic exchanges so that an idle worker can take a task left there
 * by a worker stuck in a long poll.
 *
 * <h2>Threads</h2>
 * Everything but the LIFO slot's exchange, the queue's steal side and the parker is touched by
 * the worker's thread only.
 */
final class Worker extends WorkerFields {

    /** Ticks between two looks at the global queue before the local one (Tokio's default). */
    static final int GLOBAL_QUEUE_INTERVAL = 61;
    /** Most LIFO-slot tasks run in a row before the worker takes one from its queue. */
    static final int MAX_LIFO_POLLS = 3;
    /** Polls between two publications of the statistics. */
    private static final int PUBLISH_INTERVAL = 64;

    // Padding after the fields of WorkerFields: ticksToGlobal is written on every tick and the
    // fields next to it are read on every tick, and the object the GC happens to place next may
    // be another worker's.
    @SuppressWarnings("unused")
    private long r00, r01, r02, r03, r04, r05, r06, r07;

    Worker(MultiThreadRuntime runtime, int index, TaskCounts counts, int seed) {
        super(runtime, index, counts, seed == 0 ? 0x2545F491 : seed);
    }

    /** The worker thread's body: the loop, until the runtime stops it. */
    void run() {
        stats.runBy(Thread.currentThread());
        stats.afterPark();
        while (!runtime.stopping()) {
            if (!runOnce()) {
                prepareToPark();
                sleepUntilWoken();
            }
        }
        stats.publish(queue.size());
    }

    /**
     * One turn of the loop: finds a task (own queue, global queue, stealing) and runs it, with
     * the LIFO tasks it wakes. The race scenario tests drive workers through this method.
     *
     * @return false if no work was found
     */
    boolean runOnce() {
        Task<?> task = nextTask();
        if (task == null) {
            task = stealWork();
        }
        if (task == null) {
            return false;
        }
        runTask(task);
        return true;
    }

    // ---------------------------------------------------------------- finding work

    private Task<?> nextTask() {
        if (--ticksToGlobal == 0) {
            ticksToGlobal = GLOBAL_QUEUE_INTERVAL;
            Task<?> injected = runtime.inject.pop();
            if (injected != null) {
                stats.tookInjected();
                return injected;
            }
        }
        Task<?> task = takeLifo();
        if (task == null) {
            task = queue.pop();
        }
        if (task != null) {
            stats.tookLocal();
            return task;
        }
        return takeFromGlobal();
    }

    /**
     * A fair share of the global queue: one task to run, and up to half a local queue more (less
     * if a thief is still copying out of this queue).
     */
    private Task<?> takeFromGlobal() {
        int share = runtime.inject.size() / runtime.workers.length + 1;
        int max = Math.min(share, Math.min(queue.capacity() / 2, queue.room() + 1));
        int before = queue.size();
        Task<?> task = runtime.inject.popInto(queue, max);
        if (task != null) {
            stats.tookInjected();
            if (queue.size() > before && runtime.workStealing && !searching) {
                // A batch is more than this worker runs next: ask for a helper, once per batch
                // (the global queue's producers wake a worker only when it was empty).
                runtime.wakeOneIfNeeded();
            }
        }
        return task;
    }

    private Task<?> stealWork() {
        if (!runtime.workStealing) {
            return null;
        }
        if (!searching) {
            if (!runtime.idle.tryStartSearching()) {
                return null;
            }
            searching = true;
        }
        Worker[] workers = runtime.workers;
        int n = workers.length;
        int start = nextRandom(n);
        for (int i = 0; i < n; i++) {
            Worker victim = workers[(start + i) % n];
            if (victim == this) {
                continue;
            }
            stats.stealAttempted();
            int before = queue.size();
            Task<?> task = victim.queue.stealInto(queue);
            if (task != null) {
                stats.stole(queue.size() - before + 1);
                return task;
            }
        }
        Task<?> task = takeFromGlobal();
        if (task != null) {
            return task;
        }
        for (int i = 0; i < n; i++) {
            Worker victim = workers[(start + i) % n];
            if (victim != this && (task = victim.takeLifo()) != null) {
                stats.stole(1);
                return task;
            }
        }
        return null;
    }

    /** xorshift32: a victim order that differs between workers and between attempts. */
    private int nextRandom(int bound) {
        int x = random;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        random = x;
        return (x & Integer.MAX_VALUE) % bound;
    }

    // ---------------------------------------------------------------- running

    private void runTask(Task<?> task) {
        if (searching) {
            searching = false;
            if (runtime.idle.stopSearching()) {
                // The last searcher found work: there may be more, so wake another to look.
                runtime.wakeOneIfNeeded();
            }
        }
        int lifoPolls = 0;
        while (true) {
            if (runtime.cancelling()) {
                task.abort(); // a forced shutdown: the run below then finds it ended and skips it
            }
            int result = task.run();
            if (result != Task.SKIPPED) {
                stats.polled(task);
                if ((stats.polls() % PUBLISH_INTERVAL) == 0) {
                    stats.publish(queue.size());
                }
                if (result == Task.RESCHEDULE) {
                    pushLocal(task); // woken during its own poll: a yield goes to the back
                }
            }
            task = takeLifo();
            if (task == null) {
                return;
            }
            if (++lifoPolls > MAX_LIFO_POLLS) {
                pushLocal(task); // the LIFO chain has had its turn: yield the worker
                return;
            }
            stats.tookLocal();
        }
    }

    /** Called on this worker's thread when a task it runs spawns another: to the back of the queue. */
    void scheduleSpawned(Task<?> task) {
        pushLocal(task);
    }

    /** Called on this worker's thread when a task it runs wakes another. */
    void scheduleLocal(Task<?> task) {
        // Other threads only ever take from the slot, never fill it: so an empty slot stays empty
        // until this thread fills it, and a release store suffices (the common case, one task
        // woken per poll). It publishes the task, and what its waker wrote before the wake, to
        // the exchange that takes it, the owner's or a thief's in takeLifo.
        if (lifoSlot == null) {
            LIFO.setRelease(this, task);
            return;
        }
        // Occupied: the displaced task must be taken atomically, since a thief may take it at the
        // same time; the exchange also acquires it from the store that put it there.
        Task<?> displaced = (Task<?>) LIFO.getAndSet(this, task);
        if (displaced != null) {
            pushLocal(displaced);
        }
    }

    private void pushLocal(Task<?> task) {
        Task<?> overflow = queue.push(task);
        if (overflow != null) {
            runtime.inject.pushChain(overflow);
            runtime.wakeOneIfNeeded(); // half a queue of work in the global queue: worth a helper
            return;
        }
        // A second task queued is more than this worker will run next: ask for a helper, once per
        // time the queue fills up past one, not on every push. The full fence of that request is
        // the costly part of a push; a parking worker looks at every queue after its own fence
        // (see Idle), so tasks queued behind the second one are found without more requests.
        if (runtime.workStealing && !searching && queue.size() == 2) {
            runtime.wakeOneIfNeeded();
        }
    }

    /**
     * Takes the LIFO slot's task. The owner, or an idle worker as a last resort.
     *
     * @return the task, or null
     */
    Task<?> takeLifo() {
        // The volatile read only skips the exchange when the slot looks empty (most calls); a
        // task put there concurrently is found by the next look, or by the Dekker re-check of a
        // parking worker (hasWork). The exchange pairs with the one in scheduleLocal.
        return lifoSlot == null ? null : (Task<?>) LIFO.getAndSet(this, (Task<?>) null);
    }

    /**
     * Tells whether this worker has queued work another could take: the Dekker re-check of a
     * worker about to park reads it.
     *
     * @return true if its queue or LIFO slot holds a task
     */
    boolean hasWork() {
        return lifoSlot != null || !queue.isEmpty();
    }

    boolean hasLifoTask() {
        return lifoSlot != null;
    }

    // ---------------------------------------------------------------- parking

    /**
     * Counts this worker among the sleepers, then makes sure no queued work is left without a
     * worker coming for it (which may pick this very worker, whose sleep then ends at once).
     */
    void prepareToPark() {
        boolean lastSearcher = runtime.idle.park(index, searching);
        searching = false;
        // See Idle: the last searcher looks at every queue once more. Any other parker looks at
        // the global queue once more: with stealing off, or while nobody searches, a task pushed
        // there just before this worker counted itself parked would otherwise find every worker
        // counted as unparked (so nobody is woken) and then asleep.
        runtime.wakeOneIfWorkPending(lastSearcher);
    }

    /** Parks until {@link Idle#workerToWake()} picks this worker (or the runtime stops). */
    private void sleepUntilWoken() {
        stats.beforePark(queue.size());
        while (!runtime.stopping()) {
            // An interrupt (user code may interrupt a worker) only ends this park; it is cleared.
            parker.park(Parker.FOREVER);
            if (!runtime.idle.isParked(index)) {
                searching = true; // woken by workerToWake(), which counted us as searching
                break;
            }
            // Spurious wake-up: still among the sleepers, sleep again.
        }
        stats.afterPark();
    }
}
