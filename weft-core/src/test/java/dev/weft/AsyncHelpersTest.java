package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Async's helpers and Future's combinators. */
class AsyncHelpersTest {

    private final AsyncRuntime runtime = AsyncRuntime.currentThread().build();

    @AfterEach
    void shutDown() {
        runtime.shutdown(Duration.ZERO);
    }

    @Test
    void map_then_recover() {
        Integer composed =
                runtime.blockOn(Async.ready(20).map(x -> x + 1).then(x -> Async.ready(x * 2)));
        assertThat(composed).isEqualTo(42);
        Future<Integer> failing = cx -> {
            throw new IllegalStateException("nope");
        };
        Integer recovered = runtime.blockOn(failing.recover(e -> e.getMessage().length()));
        assertThat(recovered).isEqualTo(4);
        Integer untouched = runtime.blockOn(Async.ready(1).recover(e -> -1));
        assertThat(untouched).as("no failure, no recovery").isEqualTo(1);
        assertThatThrownBy(() -> runtime.blockOn(Async.ready(1).then(x -> null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("then");
    }

    /** A loop as tail recursion through {@code then}: {@code turns} steps that complete at once. */
    private static Future<Integer> countDown(int turns) {
        return Async.ready(turns).then(n -> n == 0 ? Async.ready(0) : countDown(n - 1));
    }

    @Test
    void then_aLoopWrittenAsRecursion_runsInConstantStack() {
        assertThat(runtime.blockOn(countDown(1_000_000))).isZero();
    }

    /** A step that yields once and records how deep in the stack it was polled. */
    private static Future<Integer> stageRecordingDepth(List<Integer> depths) {
        Future<Void> yield = Async.yieldNow();
        return cx -> {
            depths.add(new Throwable().getStackTrace().length);
            return yield.poll(cx).isReady() ? Poll.ready(depths.size()) : Poll.pending();
        };
    }

    private static Future<Integer> yieldingLoop(int turns, List<Integer> depths) {
        return stageRecordingDepth(depths)
                .then(v -> turns == 1 ? Async.ready(v) : yieldingLoop(turns - 1, depths));
    }

    @Test
    void then_aLoopAcrossPolls_isPolledAtTheSameDepthEveryTurn() {
        List<Integer> depths = new ArrayList<>();
        runtime.blockOn(yieldingLoop(10_000, depths));
        assertThat(depths).hasSize(20_000);
        assertThat(depths.stream().mapToInt(Integer::intValue).max().getAsInt()
                - depths.stream().mapToInt(Integer::intValue).min().getAsInt())
                .as("the chain of then futures does not nest").isLessThanOrEqualTo(2);
    }

    @Test
    void then_aLoopAborted_dropsTheStageItIsWaitingOn() {
        AtomicInteger dropped = new AtomicInteger();
        class Forever implements Future<Integer>, dev.weft.task.Droppable {
            @Override
            public Poll<Integer> poll(Context cx) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                dropped.incrementAndGet();
            }
        }
        Future<Integer> loop = Async.ready(3).then(a -> Async.ready(2).then(b -> new Forever()));
        JoinHandle<Integer> task = runtime.spawn(loop);
        runtime.blockOn(Async.yieldNow());
        task.abort();
        assertThatThrownBy(() -> runtime.blockOn(task))
                .isInstanceOf(TaskCancelledException.class);
        assertThat(dropped).as("the innermost stage, reached through two then futures").hasValue(1);
    }

    @Test
    void combinator_polledAfterCompletion_isRefused() {
        Future<Integer> mapped = Async.ready(1).map(x -> x);
        Context cx = () -> () -> { };
        assertThat(mapped.poll(cx).isReady()).isTrue();
        assertThatThrownBy(() -> mapped.poll(cx)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after it completed");
    }

    @Test
    void yieldNow_isPendingOnceAfterWakingItself() {
        Future<Void> y = Async.yieldNow();
        AtomicInteger wakes = new AtomicInteger();
        Context cx = () -> wakes::incrementAndGet;
        assertThat(y.poll(cx).isReady()).isFalse();
        assertThat(wakes).hasValue(1);
        assertThat(y.poll(cx).isReady()).isTrue();
    }

    @Test
    void join_waitsForBoth_andFailsFast() {
        Latch latch = new Latch();
        JoinHandle<Async.Pair<Integer, String>> both =
                runtime.spawn(Async.join(latch.map(v -> 1), Async.ready("b")));
        runtime.runUntilStalled();
        assertThat(both.isDone()).isFalse();
        latch.open();
        assertThat(runtime.blockOn(both)).isEqualTo(new Async.Pair<>(1, "b"));

        Future<Integer> failing = cx -> {
            throw new IllegalArgumentException("first failed");
        };
        assertThatThrownBy(() -> runtime.blockOn(Async.join(failing, new Latch())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("first failed");
    }

    @Test
    void joinAll_keepsOrder_andCopiesTheList() {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int v = i;
            futures.add(runtime.spawn(Async.yieldNow().map(x -> v)));
        }
        Future<List<Integer>> all = Async.joinAll(futures);
        futures.clear();
        assertThat(runtime.blockOn(all)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(runtime.blockOn(Async.joinAll(List.<Future<Integer>>of()))).isEmpty();
        assertThatThrownBy(() -> Async.joinAll(java.util.Arrays.asList(Async.ready(1), null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("futures[1]");
    }

    @Test
    void joinAll_pollsEachChildOnlyWhenItWoke() {
        int n = 10_000;
        AtomicInteger childPolls = new AtomicInteger();
        List<Latch> latches = new ArrayList<>();
        List<Future<Void>> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Latch latch = new Latch();
            latches.add(latch);
            children.add(cx -> {
                childPolls.incrementAndGet();
                return latch.poll(cx);
            });
        }
        JoinHandle<List<Void>> all = runtime.spawn(Async.joinAll(children));
        runtime.runUntilStalled();
        for (Latch latch : latches) {
            latch.open();
            runtime.runUntilStalled(); // one child woke: one parent poll
        }
        assertThat(all.isDone()).isTrue();
        assertThat(childPolls.get()).as("n first polls + n polls after the wakes, not n * n")
                .isEqualTo(2 * n);
    }

    @Test
    void select_firstToComplete_winsAndTheLosingTaskIsAborted() {
        JoinHandle<String> slow = runtime.spawn(new Latch().map(v -> "slow"));
        Async.Either<String, Integer> won =
                runtime.blockOn(Async.select(slow, Async.yieldNow().map(v -> 2)));
        assertThat(won.isSecond()).isTrue();
        assertThat(won.second()).isEqualTo(2);
        assertThatThrownBy(won::first).isInstanceOf(NoSuchElementException.class);
        assertThat(won).hasToString("Second(2)");
        assertThat(slow.isDone()).isTrue();
        assertThatThrownBy(slow::join).isInstanceOf(TaskCancelledException.class);
    }

    @Test
    void select_tie_goesToTheFirst_andAFailureAbortsTheOther() {
        assertThat(runtime.blockOn(Async.select(Async.ready("a"), Async.ready("b"))).first())
                .isEqualTo("a");
        JoinHandle<Void> other = runtime.spawn(new Latch());
        Future<Void> failing = cx -> {
            throw new IllegalStateException("lost");
        };
        assertThatThrownBy(() -> runtime.blockOn(Async.select(failing, other))).hasMessage("lost");
        assertThat(other.isDone()).isTrue();
    }

    @Test
    void fromCompletionStage_alreadyComplete_laterFromAnotherThread_andFailed() throws Exception {
        assertThat(runtime.blockOn(Async.fromCompletionStage(
                CompletableFuture.completedFuture("now")))).isEqualTo("now");

        CompletableFuture<String> later = new CompletableFuture<>();
        Await.thread("completer", () -> {
            Await.until("the owner to park", () -> runtime.metrics().workers().get(0).parks() > 0);
            later.complete("later");
        });
        assertThat(runtime.blockOn(Async.fromCompletionStage(later))).isEqualTo("later");

        IOException io = new IOException("disk");
        assertThatThrownBy(() -> runtime.blockOn(
                        Async.fromCompletionStage(CompletableFuture.failedFuture(io))))
                .isInstanceOf(TaskFailedException.class).hasCause(io);
        IllegalStateException ise = new IllegalStateException("state");
        assertThatThrownBy(() -> runtime.blockOn(Async.fromCompletionStage(
                CompletableFuture.supplyAsync(() -> {
                    throw ise;
                })))).isSameAs(ise);
        assertThatThrownBy(() -> runtime.blockOn(Async.fromCompletionStage(
                CompletableFuture.failedFuture(new CompletionException(ise))))).isSameAs(ise);
    }
}
