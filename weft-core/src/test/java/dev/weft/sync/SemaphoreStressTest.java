package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.RuntimeKind;
import dev.weft.task.Droppable;
import dev.weft.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Conservation under stress, on both runtimes: tasks take one or two of three permits with
 * {@link Semaphore#withPermits}, hold them across a yield, many times, while a foreign thread
 * aborts tasks at random and moves a manual clock so that the timeouts around some of the holds
 * expire, waiting or holding. Never more than three permits in use; at the end every task ended,
 * nobody waits, and the three permits are all back.
 */
class SemaphoreStressTest {

    private static final int PERMITS = 3;
    private static final int TASKS = 40;
    private static final int ROUNDS = 150;
    private static final int ABORTS = 8;

    /** The body of a hold: counts itself in use for one yield; a drop counts it out. */
    private static final class Hold implements Future<Boolean>, Droppable {
        private final int n;
        private final AtomicInteger inUse;
        private final AtomicReference<String> violation;
        private boolean holding;

        Hold(int n, AtomicInteger inUse, AtomicReference<String> violation) {
            this.n = n;
            this.inUse = inUse;
            this.violation = violation;
        }

        @Override
        public Poll<Boolean> poll(Context cx) {
            if (!holding) {
                holding = true;
                if (inUse.addAndGet(n) > PERMITS) {
                    violation.set("more than " + PERMITS + " permits in use");
                }
                cx.waker().wake(); // a yield: polled again after the others
                return Poll.pending();
            }
            holding = false;
            inUse.addAndGet(-n);
            return Poll.ready(true);
        }

        @Override
        public void drop() {
            if (holding) {
                holding = false;
                inUse.addAndGet(-n);
            }
        }
    }

    /** What one run's mix had. */
    private record Mix(int cancelled, int timeouts) {
    }

    /**
     * Runs the mix until a run had both aborts and expired timeouts (each run checks conservation
     * itself): both come from the foreign thread, which a runtime finishing its rounds first on a
     * fast machine may outrun, so a run without them proves nothing about them and is repeated.
     */
    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void permitsAreConserved_underAbortsAndTimeouts(RuntimeKind kind) {
        Mix mix = null;
        for (int run = 0; run < 50 && (mix == null || mix.cancelled() == 0
                || mix.timeouts() == 0); run++) {
            mix = runOnce(kind);
        }
        assertThat(mix.cancelled()).as("the mix had aborts").isPositive();
        assertThat(mix.timeouts()).as("the mix had expired timeouts").isPositive();
    }

    private static Mix runOnce(RuntimeKind kind) {
        ManualClock clock = new ManualClock();
        AsyncRuntime rt = kind == RuntimeKind.MULTI_THREAD
                ? AsyncRuntime.builder().workerThreads(2).clock(clock).build()
                : AsyncRuntime.currentThread().clock(clock).build();
        Semaphore s = new Semaphore(PERMITS);
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger holds = new AtomicInteger();
        AtomicReference<String> violation = new AtomicReference<>();
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            int task = i;
            handles.add(rt.spawn(Async.ready(null).then(
                    v -> round(s, task, 0, inUse, holds, timeouts, violation))));
        }
        AtomicBoolean done = new AtomicBoolean();
        Thread meddler = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(3);
            int aborts = 0;
            while (!done.get()) {
                if (aborts < ABORTS && random.nextInt(64) == 0) {
                    handles.get(random.nextInt(TASKS)).abort();
                    aborts++;
                }
                clock.advance(Duration.ofMillis(1)); // expires the timeouts armed by now
                Thread.onSpinWait();
            }
        }, "meddler");
        meddler.start();
        try {
            rt.blockOn(Async.joinAll(handles.stream()
                    .map(h -> h.recover(failure -> null)).toList()));
        } finally {
            done.set(true);
        }
        try {
            meddler.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        rt.shutdown(Duration.ZERO);

        assertThat(violation.get()).isNull();
        int cancelled = 0;
        for (JoinHandle<Void> h : handles) {
            assertThat(h.isDone()).isTrue();
            if (h.toCompletableFuture().isCompletedExceptionally()) {
                cancelled++;
            }
        }
        assertThat(holds.get()).isGreaterThan(TASKS * ROUNDS / 2);
        assertThat(inUse.get()).isZero();
        assertThat(s.availablePermits()).as("every permit came back").isEqualTo(PERMITS);
        assertThat(s.toString()).as("nobody waits").doesNotContain("waiters");
        return new Mix(cancelled, timeouts.get());
    }


    /** One round of one task: a hold of one or two permits, with a timeout one round in four. */
    private static Future<Void> round(Semaphore s, int task, int round, AtomicInteger inUse,
            AtomicInteger holds, AtomicInteger timeouts, AtomicReference<String> violation) {
        if (round == ROUNDS) {
            return Async.ready(null);
        }
        int n = 1 + (task + round) % 2;
        Future<Boolean> hold = s.withPermits(n, () -> new Hold(n, inUse, violation))
                .map(held -> {
                    holds.incrementAndGet();
                    return held;
                });
        if ((task + round) % 4 == 0) {
            hold = hold.timeout(Duration.ofMillis(1)).recover(failure -> {
                if (!(failure instanceof DeadlineExceededException)) {
                    throw new AssertionError(failure);
                }
                timeouts.incrementAndGet();
                return false;
            });
        }
        return hold.then(
                held -> round(s, task, round + 1, inUse, holds, timeouts, violation));
    }
}
