package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The multi-thread runtime through the public API. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultiThreadRuntimeTest {

    private final AsyncRuntime runtime =
            AsyncRuntime.builder().workerThreads(2).threadNamePrefix("mt-test-").build();

    @AfterEach
    void shutDown() {
        runtime.shutdown(Duration.ZERO);
    }

    /** A future that records the thread that polls it. */
    private static Future<String> threadName() {
        return cx -> Poll.ready(Thread.currentThread().getName());
    }

    @Test
    void build_returnsARunningRuntimeWhoseNamedWorkersRunTheTasks() {
        assertThat(runtime.state()).isEqualTo(RuntimeState.RUNNING);
        assertThat(runtime).hasToString("AsyncRuntime[multi-thread, 2 workers, RUNNING]");
        assertThat(runtime.blockOn(runtime.spawn(threadName()))).matches("mt-test-[01]");
        assertThat(runtime.blockOn(threadName())).as("blockOn polls its future on the caller")
                .isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void spawnsFromOutsideAndInside_allRun_andTheCountsBalance() {
        int n = 50_000;
        List<JoinHandle<Integer>> outside = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outside.add(runtime.spawn(Async.ready(i)));
        }
        Future<List<Integer>> inside = Async.ready(0).then(v -> {
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                handles.add(Async.spawn(Async.yieldNow().map(x -> 1)));
            }
            return Async.joinAll(handles);
        });
        assertThat(runtime.blockOn(runtime.spawn(inside))).hasSize(n).containsOnly(1);
        assertThat(runtime.blockOn(Async.joinAll(outside))).hasSize(n);
        // A task is counted as ended just after its handle completes.
        Await.until("every task to be counted", () -> runtime.metrics().liveTasks() == 0);
        RuntimeMetrics m = runtime.metrics();
        assertThat(m.tasksSpawned()).isEqualTo(2L * n + 1);
        assertThat(m.tasksCompleted()).isEqualTo(m.tasksSpawned());
        Await.until("workers to publish their polls",
                () -> runtime.metrics().polls() >= 3L * n + 1);
        RuntimeMetrics after = runtime.metrics();
        assertThat(after.polls()).isEqualTo(after.total(RuntimeMetrics.WorkerMetrics::polls));
        // Every task run was taken from somewhere: its worker's queue, the global queue, or handed
        // over by a steal (each successful steal runs one task at once).
        assertThat(after.total(RuntimeMetrics.WorkerMetrics::localExecutions)
                + after.total(RuntimeMetrics.WorkerMetrics::injectedExecutions)
                + after.total(RuntimeMetrics.WorkerMetrics::successfulSteals))
                .isGreaterThanOrEqualTo(after.polls());
        assertThat(after.total(RuntimeMetrics.WorkerMetrics::tasksStolen))
                .isGreaterThanOrEqualTo(
                        after.total(RuntimeMetrics.WorkerMetrics::successfulSteals));
    }

    @Test
    void blockOn_onAWorker_isRefused_andJoinInATask_isRefused() {
        JoinHandle<Integer> nested =
                runtime.spawn(cx -> Poll.ready(runtime.blockOn(Async.ready(1))));
        assertThatThrownBy(() -> runtime.blockOn(nested)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running a Weft runtime");
        JoinHandle<Void> other = runtime.spawn(new Latch());
        JoinHandle<Void> joiner = runtime.spawn(cx -> Poll.ready(other.join()));
        assertThatThrownBy(joiner::join).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("await the JoinHandle");
        assertThatThrownBy(runtime::runUntilStalled)
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void progress_aWorkerBlockedForever_theOtherDrainsItsQueue() throws InterruptedException {
        CountDownLatch neverReleasedInTime = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        int n = 200;
        JoinHandle<List<Integer>> spawner = runtime.spawn(Async.ready(0).then(v -> {
            List<JoinHandle<Integer>> children = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                children.add(Async.spawn(cx -> Poll.ready(ran.incrementAndGet())));
            }
            // The children sit in this worker's queue; now block this worker for good.
            awaitQuietly(neverReleasedInTime);
            return Async.joinAll(children);
        }));
        Await.until("the other worker to steal and run every child", () -> ran.get() == n);
        assertThat(runtime.metrics().total(RuntimeMetrics.WorkerMetrics::tasksStolen)).isPositive();
        neverReleasedInTime.countDown();
        assertThat(runtime.blockOn(spawner)).hasSize(n);
    }

    @Test
    void progress_selfWakingTasks_doNotStarveOthers() {
        AtomicBoolean stop = new AtomicBoolean();
        List<JoinHandle<Void>> spinners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            spinners.add(runtime.spawn(cx -> {
                if (stop.get()) {
                    return Poll.ready(null);
                }
                cx.waker().wake();
                return Poll.pending();
            }));
        }
        List<JoinHandle<Integer>> others = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            others.add(runtime.spawn(Async.ready(i)));
        }
        assertThat(runtime.blockOn(Async.joinAll(others))).hasSize(1_000);
        stop.set(true);
        runtime.blockOn(Async.joinAll(spinners));
    }

    @Test
    void progress_twoTasksWakingEachOther_doNotMonopolizeAWorker() {
        AsyncRuntime single = AsyncRuntime.builder().workerThreads(1).build();
        try {
            AtomicBoolean stop = new AtomicBoolean();
            PingPong pair = new PingPong(stop);
            JoinHandle<Void> ping = single.spawn(pair.ping);
            JoinHandle<Void> pong = single.spawn(pair.pong);
            Await.until("the pair to play", () -> pair.exchanges.get() > 1_000);
            List<JoinHandle<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                others.add(single.spawn(Async.ready(i)));
            }
            assertThat(single.blockOn(Async.joinAll(others))).hasSize(100);
            stop.set(true);
            single.blockOn(Async.join(ping, pong));
        } finally {
            single.shutdown(Duration.ZERO);
        }
    }

    /** Two tasks that wake each other for ever (until stopped): each wake goes to the LIFO slot. */
    private static final class PingPong {
        final AtomicInteger exchanges = new AtomicInteger();
        volatile Waker pingWaker;
        volatile Waker pongWaker;
        final Future<Void> ping;
        final Future<Void> pong;

        PingPong(AtomicBoolean stop) {
            ping = cx -> {
                pingWaker = cx.waker();
                return step(stop, pongWaker);
            };
            pong = cx -> {
                pongWaker = cx.waker();
                return step(stop, pingWaker);
            };
        }

        private Poll<Void> step(AtomicBoolean stop, Waker other) {
            if (other != null) {
                other.wake();
            }
            if (stop.get()) {
                return Poll.ready(null);
            }
            exchanges.incrementAndGet();
            return Poll.pending();
        }
    }

    @Test
    void fairness_injectedTasksRun_whileEveryWorkerHasLocalWork() {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch busy = new CountDownLatch(2);
        List<JoinHandle<Void>> loaders = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            loaders.add(runtime.spawn(new Future<Void>() {
                private boolean counted;
                private final List<JoinHandle<Void>> children = new ArrayList<>();

                @Override
                public Poll<Void> poll(Context cx) {
                    if (!counted) {
                        counted = true;
                        busy.countDown();
                    }
                    if (stop.get()) {
                        return Poll.ready(null);
                    }
                    // Keep this worker's local queue full of self-waking work.
                    if (children.size() < 50) {
                        children.add(Async.spawn(c -> {
                            if (stop.get()) {
                                return Poll.ready(null);
                            }
                            c.waker().wake();
                            return Poll.pending();
                        }));
                    }
                    cx.waker().wake();
                    return Poll.pending();
                }
            }));
        }
        awaitQuietly(busy);
        List<JoinHandle<Integer>> injected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            injected.add(runtime.spawn(Async.ready(i)));
        }
        assertThat(runtime.blockOn(Async.joinAll(injected))).hasSize(500);
        stop.set(true);
        runtime.blockOn(Async.joinAll(loaders));
    }

    @Test
    void resourceBound_aMillionTasksSpawnedAndFinished_leaveTheHeapWhereItWas() {
        long before = usedHeapAfterGc();
        for (int round = 0; round < 10; round++) {
            List<JoinHandle<Integer>> handles = new ArrayList<>(100_000);
            for (int i = 0; i < 100_000; i++) {
                handles.add(runtime.spawn(Async.ready(i)));
            }
            runtime.blockOn(Async.joinAll(handles));
        }
        Await.until("every task to be counted", () -> runtime.metrics().liveTasks() == 0);
        assertThat(runtime.metrics().tasksCompleted()).isEqualTo(1_000_000);
        long after = usedHeapAfterGc();
        // Margin: 16 MB, against the ~60 MB a million live tasks would hold.
        assertThat(after - before).as("heap growth after a million tasks, bytes")
                .isLessThan(16L << 20);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    @Test
    void exceptionsInTasks_neverKillAWorker() {
        Set<Thread> workersBefore = workerThreads();
        List<JoinHandle<Integer>> failing = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            failing.add(runtime.spawn(cx -> {
                throw new IllegalStateException("boom");
            }));
        }
        for (JoinHandle<Integer> h : failing) {
            assertThatThrownBy(h::join).hasMessage("boom");
        }
        assertThat(runtime.blockOn(runtime.spawn(Async.ready(7)))).isEqualTo(7);
        Await.until("every task to be counted", () -> runtime.metrics().liveTasks() == 0);
        assertThat(runtime.metrics().tasksFailed()).isEqualTo(1_000);
        assertThat(workerThreads()).isEqualTo(workersBefore).allMatch(Thread::isAlive);
    }

    private static Set<Thread> workerThreads() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            // workers are the prefix and an index; the blocking pool's and the watch's differ
            if (t.getName().matches("mt-test-\\d+")) {
                threads.add(t);
            }
        }
        return threads;
    }

    @Test
    void idleWorkers_park() {
        runtime.blockOn(runtime.spawn(Async.ready(1)));
        Set<Thread> workers = workerThreads();
        assertThat(workers).hasSize(2);
        Await.until("every worker to park",
                () -> workers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        long parks = runtime.metrics().total(RuntimeMetrics.WorkerMetrics::parks);
        assertThat(parks).isPositive();
        assertThat(runtime.blockOn(runtime.spawn(Async.ready(2))))
                .as("a parked runtime wakes for new work").isEqualTo(2);
    }

    @Test
    void tasksSpawnedOnAWorker_runInSpawnOrder() {
        AsyncRuntime oneWorker = AsyncRuntime.builder().workerThreads(1).build();
        try {
            List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
            List<JoinHandle<Void>> children = oneWorker.blockOn(oneWorker.spawn(cx -> {
                List<JoinHandle<Void>> spawned = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int id = i;
                    spawned.add(Async.spawn(c -> {
                        order.add(id);
                        return Poll.ready(null);
                    }));
                }
                return Poll.ready(spawned);
            }));
            oneWorker.blockOn(Async.joinAll(children));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add(i);
            }
            assertThat(order).as("one worker, no thief: FIFO").isEqualTo(expected);
        } finally {
            oneWorker.shutdown(Duration.ZERO);
        }
    }

    @Test
    void workStealingOff_stillRunsEverything_andNeverSteals() {
        AsyncRuntime noSteal = AsyncRuntime.builder().workerThreads(2).workStealing(false).build();
        try {
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                handles.add(noSteal.spawn(Async.yieldNow().map(v -> 1)));
            }
            assertThat(noSteal.blockOn(Async.joinAll(handles))).hasSize(10_000);
            assertThat(noSteal.metrics().total(RuntimeMetrics.WorkerMetrics::stealAttempts))
                    .isZero();
        } finally {
            noSteal.shutdown(Duration.ZERO);
        }
    }

    @Test
    void shutdown_withBusyWorkers_cancelsTheRest_andReleasesEveryThread() {
        AtomicBoolean forever = new AtomicBoolean(true);
        List<JoinHandle<Void>> busy = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            busy.add(runtime.spawn(cx -> {
                if (!forever.get()) {
                    return Poll.ready(null);
                }
                cx.waker().wake();
                return Poll.pending();
            }));
        }
        Set<Thread> workers = workerThreads();
        assertThat(runtime.shutdown(Duration.ofMillis(50))).isFalse();
        assertThat(runtime.state()).isEqualTo(RuntimeState.TERMINATED);
        assertThat(busy).allMatch(JoinHandle::isDone);
        assertThatThrownBy(busy.get(0)::join).isInstanceOf(TaskCancelledException.class);
        assertThat(workers).noneMatch(Thread::isAlive);
        assertThat(runtime.metrics().tasksCancelled()).isEqualTo(100);
        assertThatThrownBy(() -> runtime.spawn(Async.ready(1)))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("TERMINATED");
    }

    @Test
    void shutdown_cancelsTasksQueuedBehindAWorkerStuckInAPoll_beforeItReturns()
            throws InterruptedException {
        AsyncRuntime oneWorker =
                AsyncRuntime.builder().workerThreads(1).workStealing(false).build();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<JoinHandle<Integer>> queued =
                java.util.Collections.synchronizedList(new ArrayList<>());
        oneWorker.spawn(cx -> {
            // more than a local queue holds: some overflow to the global queue
            for (int i = 0; i < 300; i++) {
                queued.add(Async.spawn(Async.ready(i)));
            }
            stuck.countDown();
            awaitQuietly(release);
            return Poll.ready(null);
        });
        awaitQuietly(stuck);
        try {
            assertThat(oneWorker.shutdown(Duration.ZERO))
                    .as("a worker is stuck in a poll").isFalse();
            // Nobody else could take them: the shutdown itself must have emptied the LIFO slot, the
            // local queue and the global queue.
            assertThat(queued).hasSize(300).allMatch(JoinHandle::isDone);
            assertThat(oneWorker.metrics().tasksCancelled()).isEqualTo(300);
            assertThatThrownBy(queued.get(299)::join).isInstanceOf(TaskCancelledException.class);
        } finally {
            release.countDown();
        }
        assertThat(oneWorker.asExecutorService().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shutdown_whenTasksEnd_returnsTrue_andReleasesEveryThread() {
        List<JoinHandle<Integer>> handles = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            handles.add(runtime.spawn(Async.yieldNow().map(v -> 1)));
        }
        Set<Thread> workers = workerThreads();
        assertThat(runtime.shutdown(Duration.ofSeconds(30))).isTrue();
        assertThat(handles).allMatch(JoinHandle::isDone);
        assertThat(workers).noneMatch(Thread::isAlive);
    }

    @Test
    void shutdown_releasesAThreadBlockedInBlockOn() {
        AtomicInteger outcome = new AtomicInteger();
        Thread blocked = Await.thread("blocked", () -> {
            try {
                runtime.blockOn(new Latch());
            } catch (TaskCancelledException expected) {
                outcome.set(1);
            }
        });
        Await.until("the caller to block", () -> blocked.getState() == Thread.State.WAITING);
        assertThat(runtime.shutdown(Duration.ZERO)).isTrue();
        Await.join(blocked);
        assertThat(outcome).hasValue(1);
    }

    @Test
    void shutdown_onAWorker_isRefused() {
        JoinHandle<Boolean> h = runtime.spawn(cx -> Poll.ready(runtime.shutdown(Duration.ZERO)));
        assertThatThrownBy(h::join).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wait for itself");
    }

    @Test
    void spawnRacingShutdown_everySpawnIsRefusedOrEnds() {
        int spawners = 3;
        List<JoinHandle<Void>> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(spawners);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < spawners; s++) {
            threads.add(Await.thread("spawner-" + s, () -> {
                started.countDown();
                while (true) {
                    try {
                        accepted.add(runtime.spawn(new Latch()));
                    } catch (RejectedExecutionException e) {
                        refused.incrementAndGet();
                        return;
                    }
                }
            }));
        }
        awaitQuietly(started);
        runtime.shutdown(Duration.ZERO);
        threads.forEach(Await::join);
        assertThat(refused).hasValue(spawners);
        assertThat(accepted).allMatch(JoinHandle::isDone);
        RuntimeMetrics m = runtime.metrics();
        assertThat(m.liveTasks()).isZero();
        assertThat(m.tasksSpawned()).isEqualTo(accepted.size()).isEqualTo(m.tasksCancelled());
    }

    @Test
    void workerHooks_runOnEachWorkerThread() {
        Set<String> startedOn = ConcurrentHashMap.newKeySet();
        Set<String> stoppedOn = ConcurrentHashMap.newKeySet();
        AsyncRuntime hooked = AsyncRuntime.builder().workerThreads(3).threadNamePrefix("hooked-")
                .onWorkerStart(() -> startedOn.add(Thread.currentThread().getName()))
                .onWorkerStop(() -> stoppedOn.add(Thread.currentThread().getName()))
                .build();
        assertThat(startedOn).containsExactlyInAnyOrder("hooked-0", "hooked-1", "hooked-2");
        hooked.shutdown(Duration.ofSeconds(5));
        assertThat(stoppedOn).containsExactlyInAnyOrder("hooked-0", "hooked-1", "hooked-2");
    }

    @Test
    void aFailingStartHook_failsTheBuild() {
        IllegalArgumentException boom = new IllegalArgumentException("no affinity here");
        assertThatThrownBy(() -> AsyncRuntime.builder().workerThreads(2).onWorkerStart(() -> {
            throw boom;
        }).build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("onWorkerStart")
                .hasCause(boom);
    }

    @Test
    void maxQueueSize_refusesSpawnsWhileTheWorkersAreBusy() {
        AsyncRuntime bounded = AsyncRuntime.builder().workerThreads(1).maxQueueSize(10).build();
        CountDownLatch release = new CountDownLatch(1);
        try {
            bounded.spawn(cx -> {
                awaitQuietly(release); // holds the only worker
                return Poll.ready(null);
            });
            int accepted = 0;
            try {
                for (int i = 0; i < 100; i++) {
                    bounded.spawn(Async.ready(i));
                    accepted++;
                }
            } catch (RejectedExecutionException e) {
                assertThat(e).hasMessageContaining("maxQueueSize");
            }
            assertThat(accepted).isBetween(9, 10);
            release.countDown();
        } finally {
            release.countDown();
            bounded.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void spawnBlocking_runsOffTheWorkers_andPropagatesFailures() {
        JoinHandle<String> name = runtime.spawnBlocking(() -> Thread.currentThread().getName());
        assertThat(name.join()).startsWith("mt-test-blocking-");
        IOException io = new IOException("disk");
        JoinHandle<String> failed = runtime.spawnBlocking(() -> {
            throw io;
        });
        assertThatThrownBy(failed::join).isInstanceOf(TaskFailedException.class).hasCause(io);

        // More blocking calls than workers, all held at once: the workers stay free.
        CountDownLatch allIn = new CountDownLatch(8);
        List<JoinHandle<Integer>> blocking = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int v = i;
            blocking.add(runtime.spawnBlocking(() -> {
                allIn.countDown();
                allIn.await();
                return v;
            }));
        }
        assertThat(runtime.blockOn(runtime.spawn(Async.ready("workers free"))))
                .isEqualTo("workers free");
        assertThat(runtime.blockOn(Async.joinAll(blocking)))
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void spawnBlocking_abort_interruptsTheRunningCall() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> seen = new CompletableFuture<>();
        JoinHandle<String> handle = runtime.spawnBlocking(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // blocks until interrupted
                seen.complete("never interrupted");
            } catch (InterruptedException e) {
                seen.complete("interrupted");
            }
            return "done";
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).as("the blocking call started").isTrue();
        assertThat(handle.abort()).isTrue();
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
        assertThatThrownBy(handle::join).isInstanceOf(TaskCancelledException.class);
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(Await.BOUND.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released in time");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
