package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100k tasks woken from several foreign threads while the owner polls them: every task must end
 * (no lost wakeup: each completes only after its last poll saw every token), no task is polled by
 * two threads, and the counts balance.
 */
class WakeStressTest {

    private static final int TASKS = 100_000;
    private static final int WAKERS = 3;

    /** Completes when a poll sees WAKERS tokens; flags an overlapping poll. */
    private static final class Tokens implements Future<Integer> {
        final AtomicInteger produced = new AtomicInteger();
        private final AtomicBoolean inPoll = new AtomicBoolean();
        private final AtomicReference<String> violation;
        int polls;

        Tokens(AtomicReference<String> violation) {
            this.violation = violation;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (!inPoll.compareAndSet(false, true)) {
                violation.set("a task was polled by two threads at once");
            }
            polls++;
            int seen = produced.get();
            inPoll.set(false);
            return seen == WAKERS ? Poll.ready(polls) : Poll.pending();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void wakesFromForeignThreads_areNeverLost() throws Exception {
        AsyncRuntime runtime = AsyncRuntime.currentThread().build();
        AtomicReference<String> violation = new AtomicReference<>();
        List<Tokens> futures = new ArrayList<>(TASKS);
        List<JoinHandle<Integer>> handles = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            Tokens f = new Tokens(violation);
            futures.add(f);
            handles.add(runtime.spawn(f));
        }
        CyclicBarrier start = new CyclicBarrier(WAKERS + 1);
        List<Thread> wakers = new ArrayList<>();
        for (int w = 0; w < WAKERS; w++) {
            int offset = w * (TASKS / WAKERS);
            wakers.add(Await.thread("waker-" + w, () -> {
                awaitBarrier(start);
                for (int i = 0; i < TASKS; i++) {
                    int index = (i + offset) % TASKS; // wakers sweep from different places
                    futures.get(index).produced.incrementAndGet();
                    ((Waker) handles.get(index)).wake();
                }
            }));
        }
        awaitBarrier(start);
        List<Integer> polls = runtime.blockOn(Async.joinAll(handles));
        wakers.forEach(Await::join);

        assertThat(violation.get()).isNull();
        assertThat(polls).hasSize(TASKS).allSatisfy(p -> assertThat(p).isBetween(1, 1 + WAKERS));
        RuntimeMetrics m = runtime.metrics();
        assertThat(m.tasksSpawned()).isEqualTo(TASKS);
        assertThat(m.tasksCompleted()).isEqualTo(TASKS);
        assertThat(m.liveTasks()).isZero();
        assertThat(m.polls()).isEqualTo(polls.stream().mapToLong(Integer::longValue).sum());
        assertThat(runtime.shutdown(Duration.ZERO)).isTrue();
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await(Await.BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
