package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The current-thread runtime, through the public API (Tokio's rt_ tests). */
class CurrentThreadRuntimeTest {

    private final AsyncRuntime runtime = AsyncRuntime.currentThread().build();

    @AfterEach
    void shutDown() {
        runtime.shutdown(Duration.ZERO);
    }

    @Test
    void build_returnsARunningRuntime() {
        assertThat(runtime.state()).isEqualTo(RuntimeState.RUNNING);
        assertThat(runtime).hasToString("AsyncRuntime[current-thread, RUNNING]");
    }

    @Test
    void blockOn_returnsTheFuturesValue() {
        assertThat(runtime.blockOn(Async.ready(42))).isEqualTo(42);
        assertThat(runtime.blockOn(Async.<String>ready(null))).isNull();
    }

    @Test
    void blockOn_drivesSpawnedTasks() {
        JoinHandle<Integer> a = runtime.spawn(Async.ready(1));
        JoinHandle<Integer> b = runtime.spawn(Async.yieldNow().map(v -> 2));
        assertThat(runtime.blockOn(Async.joinAll(List.of(a, b)))).containsExactly(1, 2);
    }

    @Test
    void tasksOfEqualPriority_runInSpawnOrder() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int id = i;
            runtime.spawn(cx -> {
                order.add(id);
                return Poll.ready(null);
            });
        }
        assertThat(runtime.runUntilStalled()).isEqualTo(100);
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void yieldNow_sendsTheTaskToTheBackOfTheQueue() {
        List<String> trace = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            runtime.spawn(loop(3, i -> trace.add(name + i)));
        }
        runtime.runUntilStalled();
        assertThat(trace).containsExactly("a0", "b0", "a1", "b1", "a2", "b2");
    }

    /** A task that records step i, then yields, n times. */
    private static Future<Void> loop(int n, java.util.function.IntConsumer step) {
        AtomicInteger i = new AtomicInteger();
        AtomicReference<Future<Void>> yielding = new AtomicReference<>();
        return cx -> {
            while (true) {
                Future<Void> y = yielding.get();
                if (y != null) {
                    if (!y.poll(cx).isReady()) {
                        return Poll.pending();
                    }
                    yielding.set(null);
                }
                if (i.get() == n) {
                    return Poll.ready(null);
                }
                step.accept(i.getAndIncrement());
                yielding.set(Async.yieldNow());
            }
        };
    }

    @Test
    void tasks_runOnlyOnTheOwnerThread_evenWhenSpawnedElsewhere() {
        java.util.Set<Thread> pollers = ConcurrentHashMap.newKeySet();
        List<JoinHandle<Void>> handles = Collections.synchronizedList(new ArrayList<>());
        Future<Void> recordThread = cx -> {
            pollers.add(Thread.currentThread());
            return Poll.ready(null);
        };
        CountDownLatch spawned = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            Await.thread("spawner-" + t, () -> {
                for (int i = 0; i < 250; i++) {
                    handles.add(runtime.spawn(recordThread));
                }
                spawned.countDown();
            });
        }
        runtime.blockOn(Async.fromCompletionStage(CompletableFuture.runAsync(() -> await(spawned)))
                .then(v -> Async.joinAll(new ArrayList<>(handles))));
        assertThat(handles).hasSize(1000).allMatch(JoinHandle::isDone);
        assertThat(pollers).containsExactly(Thread.currentThread());
    }

    @Test
    void wakeFromAnotherThread_unparksTheBlockedOwner() {
        Latch latch = new Latch();
        Await.thread("opener", () -> {
            Await.until("the owner to park", () -> runtime.metrics().workers().get(0).parks() > 0);
            latch.open();
        });
        runtime.blockOn(latch);
        assertThat(runtime.metrics().workers().get(0).parks()).isPositive();
    }

    @Test
    void foreignWakeOfATask_reachesTheOwnerParkedInBlockOn() {
        Latch latch = new Latch();
        JoinHandle<Void> waiting = runtime.spawn(latch);
        Await.thread("opener", () -> {
            Await.until("the owner to park", () -> runtime.metrics().workers().get(0).parks() > 0);
            latch.open();
        });
        runtime.blockOn(waiting);
        assertThat(waiting.isDone()).isTrue();
    }

    @Test
    void runUntilStalled_runsReadyTasks_andDoesNotWaitForPendingOnes() {
        Latch never = new Latch();
        JoinHandle<Void> pending = runtime.spawn(never);
        for (int i = 0; i < 3; i++) {
            runtime.spawn(Async.ready(i));
        }
        assertThat(runtime.runUntilStalled()).isEqualTo(4);
        assertThat(pending.isDone()).isFalse();
        assertThat(runtime.runUntilStalled()).as("nothing is ready").isZero();
        never.open();
        assertThat(runtime.runUntilStalled()).isEqualTo(1);
        assertThat(pending.isDone()).isTrue();
    }

    @Test
    void blockOn_fromAnotherThreadThanTheOwner_isRefused() {
        runtime.blockOn(Async.ready(0)); // the test thread becomes the owner
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Await.join(Await.thread("intruder", () -> {
            try {
                runtime.blockOn(Async.ready(1));
            } catch (Throwable e) {
                failure.set(e);
            }
        }));
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'" + Thread.currentThread().getName() + "'")
                .hasMessageContaining("'intruder'");
    }

    @Test
    void blockOn_insideATask_isRefused() {
        JoinHandle<Integer> nested =
                runtime.spawn(cx -> Poll.ready(runtime.blockOn(Async.ready(1))));
        assertThatThrownBy(() -> runtime.blockOn(nested)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running a Weft runtime");
    }

    @Test
    void join_onTheOwnerOutsideTheRuntime_drivesIt() {
        JoinHandle<Integer> h = runtime.spawn(Async.yieldNow().map(v -> 5));
        assertThat(h.join()).isEqualTo(5);
    }

    @Test
    void join_insideATask_isRefused() {
        JoinHandle<Void> other = runtime.spawn(new Latch());
        JoinHandle<Void> joiner = runtime.spawn(cx -> Poll.ready(other.join()));
        assertThatThrownBy(() -> runtime.blockOn(joiner)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("await the JoinHandle");
    }

    @Test
    void join_fromAnotherThread_waitsWhileTheOwnerDrives() {
        // the test thread owns the runtime; the joiner must not drive it
        runtime.blockOn(Async.ready(0));
        Latch release = new Latch();
        JoinHandle<String> h = runtime.spawn(release.map(v -> "done"));
        AtomicReference<String> joined = new AtomicReference<>();
        Thread joiner = Await.thread("joiner", () -> joined.set(h.join()));
        Await.until("the joiner to block", () -> joiner.getState() == Thread.State.WAITING);
        release.open();
        runtime.blockOn(h);
        Await.join(joiner);
        assertThat(joined.get()).isEqualTo("done");
    }

    @Test
    void asyncCurrentAndSpawn_workInsideTasks_andFailOutside() {
        Future<Integer> outer = runtime.spawn(cx -> {
            assertThat(Async.current()).isEqualTo(runtime).hasSameHashCodeAs(runtime);
            return Poll.ready(0);
        }).then(v -> Async.spawn(Async.ready(7)));
        assertThat(runtime.blockOn(outer)).isEqualTo(7);
        assertThatThrownBy(Async::current).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Weft runtime");
        assertThatThrownBy(() -> Async.spawn(Async.ready(1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTaskThatThrows_doesNotStopTheOthers() {
        JoinHandle<Integer> bad = runtime.spawn(cx -> {
            throw new IllegalStateException("bad task");
        });
        JoinHandle<Integer> good = runtime.spawn(Async.yieldNow().map(v -> 1));
        assertThat(runtime.blockOn(good)).isEqualTo(1);
        assertThatThrownBy(bad::join).hasMessage("bad task");
    }

    @Test
    void twoTasksAwaitingOneHandle_bothComplete() {
        Latch latch = new Latch();
        JoinHandle<Void> shared = runtime.spawn(latch);
        JoinHandle<Void> first = runtime.spawn(shared);
        JoinHandle<Void> second = runtime.spawn(shared);
        runtime.runUntilStalled();
        latch.open();
        runtime.blockOn(Async.join(first, second));
        assertThat(first.isDone() && second.isDone()).isTrue();
    }

    @Test
    void maxQueueSize_refusesSpawnsBeyondIt_untilTheQueueDrains() {
        AsyncRuntime bounded = AsyncRuntime.currentThread().maxQueueSize(2).build();
        try {
            bounded.spawn(Async.ready(1));
            bounded.spawn(Async.ready(2));
            assertThatThrownBy(() -> bounded.spawn(Async.ready(3)))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("maxQueueSize").hasMessageContaining("2");
            assertThat(bounded.runUntilStalled()).isEqualTo(2);
            assertThat(bounded.spawn(Async.ready(4)).join()).isEqualTo(4);
            assertThat(bounded.metrics().tasksRejected()).isEqualTo(1);
        } finally {
            bounded.shutdown(Duration.ZERO);
        }
    }

    @Test
    void anInterruptedOwner_parksWithoutSpinning_andKeepsItsInterrupt() {
        Latch latch = new Latch();
        Await.thread("opener", () -> {
            Await.until("the owner to park twice",
                    () -> runtime.metrics().workers().get(0).parks() >= 2);
            latch.open();
        });
        JoinHandle<Void> task = runtime.spawn(cx -> {
            Thread.currentThread().interrupt();
            return Poll.ready(null);
        });
        runtime.blockOn(Async.join(task, latch));
        assertThat(Thread.interrupted()).as("interrupt status restored after blockOn").isTrue();
        assertThat(runtime.metrics().workers().get(0).parks()).as("parks, not a spin")
                .isLessThan(1_000);
    }

    @Test
    void metrics_countWhatHappened() {
        runtime.spawn(Async.ready(1));
        runtime.spawn(Async.yieldNow());
        JoinHandle<Void> aborted = runtime.spawn(new Latch());
        runtime.spawn(cx -> {
            throw new IllegalArgumentException("x");
        });
        runtime.runUntilStalled();
        aborted.abort();
        RuntimeMetrics m = runtime.metrics();
        assertThat(m.tasksSpawned()).isEqualTo(4);
        assertThat(m.tasksCompleted()).isEqualTo(2);
        assertThat(m.tasksFailed()).isEqualTo(1);
        assertThat(m.tasksCancelled()).isEqualTo(1);
        assertThat(m.liveTasks()).isZero();
        assertThat(m.polls()).as("4 first polls + 1 after the yield").isEqualTo(5);
        assertThat(m.wakes()).isEqualTo(1);
        assertThat(m.workers()).hasSize(1);
        assertThat(m.workers().get(0).threadName()).isEqualTo(Thread.currentThread().getName());
        assertThat(m.uptime()).isPositive();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(Await.BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("spawners did not finish");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
