package dev.weft.sched;

import dev.weft.jfr.StealEvent;
import dev.weft.jfr.WorkerParkEvent;
import dev.weft.net.driver.IoDriver;
import dev.weft.runtime.ThreadContext;
import dev.weft.task.Task;
import dev.weft.task.TaskScheduler;
import dev.weft.time.Clock;
import dev.weft.time.driver.TimerScope;
import java.util.function.BooleanSupplier;

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
 *       queue, victims tried from a random one on; then the global queue again;</li>
 *   <li>otherwise it parks until new work wakes it (see {@link #prepareToPark()}).</li>
 * </ol>
 *
 * <h2>The LIFO slot</h2>
 * A task woken by the task running on this worker goes to the LIFO slot and runs right after it
 * (the message-passing case: the receiver runs while the message is hot). The task it displaces
 * goes to the back of the queue. A spawned task does not go there: it goes to the back of the
 * queue, where an idle worker can steal it while the poll that spawned it goes on (a task that
 * spawns helpers and keeps working is common; one that wakes a task and keeps working for long
 * is not). At most {@value #MAX_LIFO_POLLS} LIFO tasks run in a row; the next goes to the back of
 * the queue, so two tasks waking each other cannot monopolize the worker. A task woken during its
 * own poll (a yield) always goes to the back of the queue.
 *
 * <p>Only the owner touches the slot (as in Tokio), so filling and taking it are plain stores, not
 * atomic exchanges, and a task goes there claimed: the wake's own CAS sets its RUNNING bit rather
 * than NOTIFIED (Task#runClaimed), so running it costs no claim; a task that leaves the slot for
 * the queue gives its claim back first. A message thus costs two atomic operations fewer. The
 * price: a task in the slot waits for the end of the poll that woke it, however long, where a
 * task in the queue could be stolen; a poll is meant to be short.
 *
 * <h2>Priority scheduling</h2>
 * With priority scheduling on, the worker keeps one local queue per priority level, and tasks
 * with a deadline wait in the global queue (see {@link InjectQueue}). Each pick compares the
 * lowest non-empty {@link Rank} of its own queues ({@code localRanks}) with the global queue's
 * (one volatile read) and takes from whichever is lower: so a worker never runs a task while a
 * more urgent one waits in its own queues or the global queue. A thief steals from the most
 * urgent level first. A woken task takes the LIFO slot, but runs from it only if no other rank
 * waits; otherwise it goes to its level's queue and the normal pick decides.
 *
 * <p>Starvation prevention: while tasks of more than one rank wait, each pick reads the clock and
 * compares the oldest task of each non-empty local queue behind the best rank (its head) and the
 * global queue's oldest (published) with the threshold; the longest-waiting task past the
 * threshold goes first, though never on two turns in a row (a backlog of starved tasks gets half
 * of the turns). At most {@code Rank.LEVELS + 1} reads, and none while only one rank waits. Tasks
 * are stamped from {@code clock}, a reading renewed at every such pick, every
 * {@value #GLOBAL_QUEUE_INTERVAL} picks otherwise, and after parking: a stamp is never later than
 * the real arrival, so a task can only look older than it is. Tasks of the best rank never count
 * as starved, so such an early stamp cannot make one pass a truly starved task. Spawns and wakes
 * from outside the workers take their stamp from the workers' latest reading too
 * ({@link ClockReadings}).
 *
 * <h2>Timers</h2>
 * Each worker has a timing wheel of its own ({@code timerScope}): a timer armed by a task it polls
 * goes there, and only this worker touches it (see TimerWheel). The worker fires its due timers
 * before it parks, and parks no longer than its next timer (forever if it has none: no timer work
 * at all while no timer is pending); a worker woken by its timer leaves the sleepers by itself
 * ({@link Idle#leaveSleepers}). While busy, it looks at its wheel every {@value #TIMER_INTERVAL}
 * ticks: a few field reads, and a clock reading only if a timer is pending or one created here
 * waits for this worker's next reading to count from (see TimerScope#promiseReading). The tasks its
 * timers wake go to the back of its own queue (not the LIFO slot, which they would only pass
 * through one by one), whence idle workers steal them.
 *
 * <h2>I/O</h2>
 * Once the runtime has sockets, a worker with nothing to run selects on the runtime's I/O driver
 * instead of parking on its thread, if no other worker holds the driver (one selects, the others
 * park); a wake ends the select as it would end a park. While busy, every {@value #TIMER_INTERVAL}
 * ticks, it takes the readiness the selector has without waiting, if the driver is free and it has
 * run as many tasks as its last select reported channels: the selector is level-triggered, so a
 * select before the woken tasks read would report their channels again, and take each one's
 * interest off to be armed again, two system calls per message for nothing (Netty, which reads in
 * the loop that selects, never has to wait). The wait is bounded by the channels registered, and
 * with no I/O the interval is the plain {@value #TIMER_INTERVAL}. The tasks
 * readiness wakes go to the back of its queue, as the timers' do; a worker that leaves the
 * selector to run them wakes an idle one to take its place, so that a long poll never holds
 * readiness back while another worker idles.
 *
 * <h2>Threads</h2>
 * Everything but the queues' steal side, the parker and the wheel's stack of timers cancelled
 * elsewhere is touched by the worker's thread only (other threads only read the LIFO slot, as a
 * hint, for metrics and admission).
 */
final class Worker extends WorkerFields implements Aging.OldestTasks, TaskScheduler.RunNextSlot {

    /** Ticks between two looks at the global queue before the local one (Tokio's default). */
    static final int GLOBAL_QUEUE_INTERVAL = 61;
    /** Most LIFO-slot tasks run in a row before the worker takes one from its queue. */
    static final int MAX_LIFO_POLLS = 3;
    /** Ticks between two looks at the timing wheel while the worker is busy. */
    static final int TIMER_INTERVAL = 61;
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
        if (watched != null) {
            watched.drivenBy(Thread.currentThread());
        }
        timerScope.claim(); // this thread arms and fires the worker's timers from now on
        stats.afterPark();
        while (!runtime.stopping()) {
            if (!runOnce() && fireTimers() == 0) {
                prepareToPark();
                sleepUntilWoken();
                fireTimers();
            }
        }
        timerScope.close(); // every task ended, and released its timers: this unlinks the rest
        stats.publish(localSize());
    }

    /**
     * One turn of the loop: finds a task (own queue, global queue, stealing) and runs it, with
     * the LIFO tasks it wakes. The race scenario tests drive workers through this method.
     *
     * @return false if no work was found
     */
    boolean runOnce() {
        if (--ticksToTimers == 0) {
            ticksToTimers = TIMER_INTERVAL;
            fireTimers();
            pollIo();
        }
        Task<?> task = byPriority ? nextTaskByRank() : nextTask();
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
        flushLifo();
        Task<?> task = queue.pop();
        if (task != null) {
            stats.tookLocal();
            return task;
        }
        return takeFromGlobal();
    }

    /**
     * The most urgent task of the worker's own queues and the global queue; see "Priority
     * scheduling".
     */
    private Task<?> nextTaskByRank() {
        flushLifo();
        InjectQueue inject = runtime.inject;
        while (true) {
            boolean globalTurn = --ticksToGlobal == 0;
            if (globalTurn) {
                ticksToGlobal = GLOBAL_QUEUE_INTERVAL;
            }
            int local = localRanks;
            int global = inject.ranksVolatile();
            int all = local | global;
            if (all == 0) {
                return null;
            }
            if (Aging.mayTakeStarved(all, tookStarved)) {
                readClock();
                Task<?> starved = takeStarved(local, global, Rank.best(all));
                tookStarved = starved != null;
                if (starved != null) {
                    return starved;
                }
            } else {
                tookStarved = false;
                if (globalTurn || Rank.contended(all)) {
                    readClock(); // stamps stay fresh while ranks compete, and every 61 picks
                }
            }
            int bestLocal = Rank.best(local);
            int bestGlobal = Rank.best(global);
            if (bestGlobal < bestLocal || (globalTurn && bestGlobal == bestLocal)) {
                Task<?> task = takeFromGlobal();
                if (task != null) {
                    return task;
                }
                continue; // taken by another worker meanwhile: look again
            }
            Task<?> task = queues[Rank.level(bestLocal)].pop();
            if (task != null) {
                stats.tookLocal();
                return task;
            }
            localRanks = local & ~(1 << bestLocal); // thieves emptied it
        }
    }

    /** Reads the runtime's clock into {@code reading}, and shares it with spawns from outside. */
    private void readClock() {
        reading = clock.nanoTime();
        runtime.clockReadings.publish(reading);
    }

    /**
     * Takes the task that waited longest behind the best rank, if it is starved: the oldest head
     * of the local queues, or the global queue's oldest task (see {@link Aging}).
     */
    private Task<?> takeStarved(int local, int global, int best) {
        int oldestLocal = Aging.oldestRank(local & ~(1 << best), this);
        Task<?> localHead = oldestLocal == Aging.NO_RANK ? null : oldestOf(oldestLocal);
        boolean localStarved = localHead != null && aging.isStarved(localHead.queuedAt(), reading);
        if ((global & ~(1 << best)) != 0) {
            // The published oldest stamp covers every lane, the best one too: no older than the
            // oldest behind it, so a "not starved" answer from it holds; popStarved checks.
            long oldestGlobal = runtime.inject.oldestStampVolatile();
            if (aging.isStarved(oldestGlobal, reading)
                    && (!localStarved || Aging.isOlder(oldestGlobal, localHead.queuedAt()))) {
                Task<?> task = runtime.inject.popStarved(reading, aging, best);
                if (task != null) {
                    stats.tookInjected();
                    return task;
                }
            }
        }
        if (localStarved) {
            Task<?> task = queues[Rank.level(oldestLocal)].pop();
            if (task != null) {
                stats.tookLocal();
                return task;
            }
        }
        return null;
    }

    /**
     * The head of this worker's queue of {@code rank}'s level: only tasks without a deadline wait
     * here.
     */
    @Override
    public Task<?> oldestOf(int rank) {
        return queues[Rank.level(rank)].peek();
    }

    /**
     * A fair share of the global queue (see {@link InjectQueue#popInto}): one task to run, and up
     * to half a local queue more. With priority scheduling, from its most urgent lane, into the
     * local queue of that lane's level.
     */
    private Task<?> takeFromGlobal() {
        int before = byPriority ? 0 : queue.size();
        Task<?> task = runtime.inject.popInto(queues, runtime.workers.length);
        if (task == null) {
            return null;
        }
        stats.tookInjected();
        boolean batched;
        if (byPriority) {
            int level = Rank.levelOf(task);
            batched = queues[level].size() > 0;
            if (batched) {
                localRanks |= Rank.fifoBit(level);
            }
        } else {
            batched = queue.size() > before;
        }
        if (batched && runtime.workStealing && !searching) {
            // A batch is more than this worker runs next: ask for a helper, once per batch
            // (the global queue's producers wake a worker only when it was empty).
            runtime.wakeOneIfNeeded();
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
        Task<?> task = byPriority ? stealByLevel(workers, start) : stealAny(workers, start);
        if (task != null) {
            return task;
        }
        return takeFromGlobal();
    }

    /** Half of the first victim's queue that has tasks, victims tried from {@code start} on. */
    private Task<?> stealAny(Worker[] workers, int start) {
        int n = workers.length;
        for (int i = 0; i < n; i++) {
            Worker victim = workers[(start + i) % n];
            if (victim == this) {
                continue;
            }
            stats.stealAttempted();
            int before = queue.size();
            Task<?> task = victim.queue.stealInto(queue);
            if (task != null) {
                int moved = queue.size() - before + 1;
                stats.stole(moved);
                StealEvent.commit(runtimeName, index, victim.index, moved);
                return task;
            }
        }
        return null;
    }

    /**
     * Half of a victim's queue of the most urgent level any victim has, or the global queue's
     * task if that is as urgent: level by level, victims tried from {@code start} on.
     */
    private Task<?> stealByLevel(Worker[] workers, int start) {
        int n = workers.length;
        for (int level = 0; level < Rank.LEVELS; level++) {
            if (Rank.level(Rank.best(runtime.inject.ranksVolatile())) <= level) {
                Task<?> task = takeFromGlobal();
                if (task != null) {
                    return task;
                }
            }
            LocalQueue into = queues[level];
            for (int i = 0; i < n; i++) {
                Worker victim = workers[(start + i) % n];
                LocalQueue from = victim.queues[level];
                if (victim == this || from.isEmpty()) {
                    continue;
                }
                stats.stealAttempted();
                Task<?> task = from.stealInto(into);
                if (task != null) {
                    int moved = into.size();
                    if (moved > 0) {
                        localRanks |= Rank.fifoBit(level);
                    }
                    stats.stole(moved + 1);
                    StealEvent.commit(runtimeName, index, victim.index, moved + 1);
                    return task;
                }
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
        boolean claimed = false; // the first task comes from a queue; the LIFO ones are claimed
        while (true) {
            if (runtime.cancelling()) {
                task.abort(); // a forced shutdown: the run below ends it cancelled, or skips it
            }
            boolean late = task.pollCount() == 0 && Rank.startsLate(task, clock);
            // the timers this poll arms are the task's: its end cancels them
            long begun = context.polling(task);
            boolean timed = (begun & WorkerStats.POLL_SAMPLE_MASK) == 0;
            long began = timed ? clock.nanoTime() : 0;
            int result = claimed ? task.runClaimed() : task.run();
            if (timed && result != Task.SKIPPED) {
                stats.polledFor(clock.nanoTime() - began);
            }
            context.polling(null);
            if (context.pollFlagged()) {
                watched.afterFlaggedPoll();
            }
            if (result != Task.SKIPPED) {
                stats.polled(task, late);
                if ((stats.polls() % PUBLISH_INTERVAL) == 0) {
                    stats.publish(localSize());
                }
                if (result == Task.RESCHEDULE) {
                    if (byPriority) {
                        task.stampQueued(reading);
                    }
                    pushLocal(task); // woken during its own poll: a yield goes to the back
                }
            }
            task = takeLifo();
            if (task == null) {
                return;
            }
            if (++lifoPolls > MAX_LIFO_POLLS || (byPriority && otherRanksWait(task))) {
                // The LIFO chain has had its turn: yield the worker. Or tasks of another rank
                // wait: the pick decides, by rank and age, rather than the order of wakes.
                if (task.unclaim()) {
                    pushLocal(task);
                }
                return;
            }
            claimed = true;
            stats.tookLocal();
        }
    }

    /**
     * Moves a task left in the LIFO slot to the queue, its claim given back: a defence only, since
     * runTask runs or queues every task it wakes there, and nothing else on this thread wakes a
     * task into the slot (its timers and I/O driver wake tasks to the back of the queue).
     */
    private void flushLifo() {
        Task<?> left = takeLifo();
        if (left != null && left.unclaim()) {
            pushLocal(left);
        }
    }

    private boolean otherRanksWait(Task<?> task) {
        int waiting = localRanks | runtime.inject.ranksVolatile();
        // Nothing queued, the message-passing case: no need for the task's rank.
        return waiting != 0 && (waiting & ~(1 << Rank.of(task))) != 0;
    }

    /**
     * Called on this worker's thread when a task it runs spawns another: to the back of the queue,
     * where an idle worker may steal it while the spawning poll goes on.
     */
    void scheduleSpawned(Task<?> task) {
        if (!byPriority || !stampedAndSentToGlobal(task)) {
            pushLocal(task);
        }
    }

    /**
     * Called on this worker's thread for a wake that does not go to the LIFO slot (see
     * {@link #takesClaimedWake}): one from its timers or its I/O driver, or of a task with a
     * deadline.
     */
    void scheduleLocal(Task<?> task) {
        if (!byPriority || !stampedAndSentToGlobal(task)) {
            pushLocal(task); // see "Timers" and "I/O"
        }
    }

    /**
     * Tells whether a wake of {@code task} on this worker's thread goes to the LIFO slot, and so
     * may claim the task for this worker (see Task#runClaimed): yes for a wake by a task this
     * worker polls, unless the task has a deadline (with priority scheduling those wait in the
     * global queue); no for the tasks its timers and I/O driver wake, which go to the back of the
     * queue.
     */
    boolean takesClaimedWake(Task<?> task) {
        return !wakingFromDrivers && !(byPriority && Rank.hasDeadline(task));
    }

    /**
     * Called on this worker's thread with a task its wake just claimed for it: to the LIFO slot.
     * The task it displaces gives its claim back and goes to the back of the queue.
     */
    @Override
    public void takeClaimed(Task<?> task) {
        if (byPriority) {
            task.stampQueued(reading); // read by otherRanksWait's pick, should the task wait
        }
        Task<?> displaced = lifoSlotPlain();
        setLifoSlotRelease(task);
        if (displaced != null && displaced.unclaim()) {
            pushLocal(displaced);
        }
    }

    /**
     * With priority scheduling, stamps a task this worker queues, and sends it to the global queue
     * if it has a deadline: deadline tasks wait there (see InjectQueue).
     *
     * @return true if the task went to the global queue
     */
    private boolean stampedAndSentToGlobal(Task<?> task) {
        // published by the release of the queue or slot that takes the task
        task.stampQueued(reading);
        if (!Rank.hasDeadline(task)) {
            return false;
        }
        runtime.pushGlobal(task);
        return true;
    }

    /**
     * Queues a task without a deadline at the back of its local queue; stamped already with
     * priority scheduling.
     */
    private void pushLocal(Task<?> task) {
        LocalQueue into = queue;
        boolean secondTask;
        if (byPriority) {
            int level = Rank.levelOf(task);
            int bit = Rank.fifoBit(level);
            into = queues[level];
            secondTask = (localRanks & ~bit) != 0 && into.isEmpty();
            localRanks |= bit;
        } else {
            secondTask = false;
        }
        Task<?> overflow = into.push(task);
        if (overflow != null) {
            runtime.inject.pushChain(overflow);
            runtime.wakeOneIfNeeded(); // half a queue of work in the global queue: worth a helper
            return;
        }
        // A second task queued is more than this worker will run next: ask for a helper, once per
        // time the queue fills up past one, not on every push. The full fence of that request is
        // the costly part of a push; a parking worker looks at every queue after its own fence
        // (see Idle), so tasks queued behind the second one are found without more requests.
        // With priority scheduling, a first task at one level while another level holds tasks
        // counts as a second one too.
        if (runtime.workStealing && !searching && (secondTask || into.size() == 2)) {
            runtime.wakeOneIfNeeded();
        }
    }

    /**
     * Takes the LIFO slot's task. Owner only.
     *
     * @return the task, or null
     */
    Task<?> takeLifo() {
        Task<?> task = lifoSlotPlain();
        if (task != null) {
            setLifoSlotRelease(null);
        }
        return task;
    }

    /**
     * Tells whether this worker has queued work another could take: the Dekker re-check of a
     * worker about to park reads it. The LIFO slot does not count: only the owner runs its task,
     * after the poll in progress.
     *
     * @return true if its queues hold a task
     */
    boolean hasWork() {
        for (LocalQueue q : queues) {
            if (!q.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tasks in the local queues: exact for the owner, a racy estimate for others.
     *
     * @return the number of tasks
     */
    int localSize() {
        int n = 0;
        for (LocalQueue q : queues) {
            n += q.size();
        }
        return n;
    }

    boolean hasLifoTask() {
        return lifoSlotVolatile() != null;
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

    /**
     * Fires this worker's due timers; the tasks they wake go to the back of its queue.
     *
     * @return the number fired
     */
    private int fireTimers() {
        wakingFromDrivers = true;
        int fired = timerScope.fireDue();
        wakingFromDrivers = false;
        return fired;
    }

    /**
     * While busy: takes the readiness the selector has now, without waiting, if nobody holds the
     * I/O driver; the tasks it wakes go to the back of this worker's queue. A runtime without
     * sockets pays two field reads.
     */
    private void pollIo() {
        if (ioBacklog > 0) {
            // The tasks the last select woke are not all run yet: about TIMER_INTERVAL more are.
            ioBacklog = Math.max(0, ioBacklog - TIMER_INTERVAL);
            return;
        }
        IoDriver io = runtime.io;
        if (io.isActive() && io.tryAcquire()) {
            wakingFromDrivers = true;
            try {
                ioBacklog = io.selectNow();
                stats.selected(ioBacklog, parker.selectWakeups());
            } finally {
                wakingFromDrivers = false;
                io.release();
            }
        }
    }

    /**
     * Parks for at most {@code timeoutNanos}: selecting on the I/O driver if the runtime has
     * sockets and nobody else holds the driver (waking the tasks whose sockets are ready, to the
     * back of this worker's queue), on the thread otherwise.
     *
     * @return true if this worker held the driver
     */
    private boolean parkOrSelect(long timeoutNanos) {
        IoDriver io = runtime.io;
        if (!io.isActive() || !io.tryAcquire()) {
            // An interrupt (user code may interrupt a worker) only ends this park; it is cleared.
            parker.park(timeoutNanos);
            return false;
        }
        wakingFromDrivers = true;
        try {
            ioBacklog = parker.parkSelecting(io, timeoutNanos);
            stats.selected(ioBacklog, parker.selectWakeups());
        } finally {
            wakingFromDrivers = false;
            io.release();
        }
        Thread.interrupted(); // as on the thread: an interrupt only ends the park
        return true;
    }

    /**
     * Parks until {@link Idle#workerToWake()} picks this worker, one of its timers is due, or the
     * runtime stops.
     */
    private void sleepUntilWoken() {
        stats.beforePark(localSize());
        WorkerParkEvent park = WorkerParkEvent.begin(runtimeName, index);
        if (watched != null) {
            watched.parking();
        }
        boolean heldTheDriver = false;
        while (!runtime.stopping()) {
            // counted among the sleepers already: a wake that picks this worker meanwhile ends
            // the cleanup's batches, and the park below at once
            long cleanupDue = runtime.cleanUpIfDue(pickedToWork);
            long timeout = timerScope.parkNanos(cleanupDue); // 0 if a timer is due already
            if (timeout > 0) {
                runtime.timers.driverParks();
                heldTheDriver |= parkOrSelect(timeout);
                runtime.timers.driverWakes();
            }
            if (!runtime.idle.isParked(index)) {
                searching = true; // woken by workerToWake(), which counted us as searching
                break;
            }
            if (timerScope.hasDue() || hasWork()) {
                // A timer is due, or readiness woke tasks into this worker's queue: leave the
                // sleepers, unless workerToWake() picked us meanwhile.
                if (!runtime.idle.leaveSleepers(index)) {
                    searching = true;
                }
                break;
            }
            // Spurious wake-up: still among the sleepers, sleep again.
        }
        if (heldTheDriver && !searching && runtime.io.registered() > 0) {
            // Off to run tasks: another idle worker takes the selector, so that readiness is
            // served while this one is busy, however long its polls (see IoDriver). A searcher
            // does the same when it finds work (runTask).
            runtime.wakeOneIfNeeded();
        }
        if (watched != null) {
            watched.awake();
        }
        WorkerParkEvent.end(park);
        stats.afterPark();
        if (byPriority) {
            readClock();
        }
    }
}

/**
 * A worker's own fields, after the LIFO slot and its padding; {@link Worker} pads after them.
 * Everything but the final fields is owned by the worker's thread.
 */
abstract class WorkerFields extends WorkerLifoSlot {

    final int index;
    /** The runtime's thread name prefix, naming it in flight recorder events. */
    final String runtimeName;
    /**
     * What this worker tells the runtime's long-poll watch, or null if it has none. Set by the
     * runtime before the worker's thread starts.
     */
    PollWatch.Watched watched;
    final MultiThreadRuntime runtime;
    /** Whether tasks are ordered by rank (priority scheduling) or FIFO. */
    final boolean byPriority;
    /**
     * The local run queues: one per priority level, or a single one without priority scheduling.
     */
    final LocalQueue[] queues;
    /** The single queue without priority scheduling; the CRITICAL one with it. */
    final LocalQueue queue;
    final ThreadParker parker = new ThreadParker();
    final WorkerStats stats = new WorkerStats();
    /** The counts of tasks spawned and ended on this worker's thread; written by it alone. */
    final TaskCounts counts;
    /** The runtime's clock: tasks are stamped with its readings, and starve by them. */
    final Clock clock;
    /** The runtime's starvation policy. */
    final Aging aging;
    /** This worker's timing wheel. */
    final TimerScope timerScope;
    /** The context of the worker's thread: the runtime, the wheel, and the task being polled. */
    final ThreadContext context;
    /** Whether a wake picked this parked worker: it then stops the idle cleanup's batches. */
    final BooleanSupplier pickedToWork;

    int ticksToGlobal = Worker.GLOBAL_QUEUE_INTERVAL;
    boolean searching;
    /** xorshift32 state; never 0. */
    int random;
    /**
     * With priority scheduling, bit {@code 2 * level + 1} (the rank of that level's tasks without
     * a deadline) is set while {@code queues[level]} may hold tasks. Only this thread pushes, so a
     * clear bit is exact; a set bit may be stale once thieves emptied the queue, and is cleared
     * when a pop finds it empty.
     */
    int localRanks;
    /** A recent reading of {@code clock}, which stamps queued tasks; see Worker. */
    long reading;
    /** Whether the last pick took a starved task: the next one does not; see Aging. */
    boolean tookStarved;
    /** Ticks left until the next look at the timing wheel while busy; see Worker. */
    int ticksToTimers = Worker.TIMER_INTERVAL;
    /** Set while this worker fires its timers: the tasks they wake go to the back of its queue. */
    boolean wakingFromDrivers;
    /**
     * Channels this worker's last select reported, less the tasks it ran since (counted
     * {@link Worker#TIMER_INTERVAL} at a time, at each look): until they are run, a busy worker
     * does not select again (see Worker, "I/O").
     */
    int ioBacklog;

    WorkerFields(MultiThreadRuntime runtime, int index, TaskCounts counts, int random) {
        this.runtime = runtime;
        this.index = index;
        this.runtimeName = runtime.config.threadNamePrefix();
        this.counts = counts;
        this.random = random;
        this.byPriority = runtime.byPriority;
        this.clock = runtime.clock;
        this.aging = runtime.aging;
        this.reading = clock.nanoTime();
        this.pickedToWork = () -> !runtime.idle.isParked(index);
        this.queues = new LocalQueue[byPriority ? Rank.LEVELS : 1];
        for (int level = 0; level < queues.length; level++) {
            queues[level] = new LocalQueue();
        }
        this.queue = queues[0];
        this.timerScope = new TimerScope(runtime.timers, parker::unpark, true);
        this.context = new ThreadContext(runtime, timerScope, runtime.io);
    }
}
