package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.DeadlineExceededException;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.RuntimeKind;
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
 * Conservation under stress, on both runtimes: tasks take one or two of three permits, hold them
 * across a yield and give them back, many times, while a foreign thread aborts tasks at random
 * and moves a manual clock so that the timeouts around some acquires expire. Never more than
 * three permits in use; at the end every task ended, nobody waits, and the free permits are the
 * three, less exactly what the aborted tasks held when they were aborted (a semaphore's permits
 * are not tied to a task: one aborted while holding them keeps them, as documented).
 */
class SemaphoreStressTest {

    private static final int PERMITS = 3;
    private static final int TASKS = 40;
    private static final int ROUNDS = 150;
    private static final int ABORTS = 8;

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void permitsAreConserved_underAbortsAndTimeouts(RuntimeKind kind) {
        ManualClock clock = new ManualClock();
        AsyncRuntime rt = kind == RuntimeKind.MULTI_THREAD
                ? AsyncRuntime.builder().workerThreads(2).clock(clock).build()
                : AsyncRuntime.currentThread().clock(clock).build();
        Semaphore s = new Semaphore(PERMITS);
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        AtomicReference<String> violation = new AtomicReference<>();
        int[] held = new int[TASKS];
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            int task = i;
            handles.add(rt.spawn(Async.ready(null).then(v -> round(s, task, 0, held, inUse,
                    grants, timeouts, violation))));
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
        int keptByAborted = 0;
        int cancelled = 0;
        for (int i = 0; i < TASKS; i++) {
            JoinHandle<Void> h = handles.get(i);
            assertThat(h.isDone()).isTrue();
            if (h.toCompletableFuture().isCompletedExceptionally()) {
                cancelled++;
                keptByAborted += held[i];
            } else {
                assertThat(held[i]).isZero();
            }
        }
        assertThat(cancelled).as("the mix had aborts").isPositive();
        assertThat(timeouts.get()).as("the mix had expired timeouts").isPositive();
        assertThat(grants.get()).isGreaterThan(TASKS * ROUNDS / 2);
        assertThat(s.availablePermits() + keptByAborted).isEqualTo(PERMITS);
        assertThat(s.toString()).as("nobody waits").doesNotContain("waiters");
    }

    /** One round of one task: acquire (with a timeout one round in four), hold, release. */
    private static Future<Void> round(Semaphore s, int task, int round, int[] held,
            AtomicInteger inUse, AtomicInteger grants, AtomicInteger timeouts,
            AtomicReference<String> violation) {
        if (round == ROUNDS) {
            return Async.ready(null);
        }
        int n = 1 + (task + round) % 2;
        Future<Void> acquire = s.acquire(n);
        boolean timed = (task + round) % 4 == 0;
        if (timed) {
            acquire = acquire.timeout(Duration.ofMillis(1));
        }
        Future<Boolean> got = acquire.map(v -> {
            held[task] = n;
            grants.incrementAndGet();
            if (inUse.addAndGet(n) > PERMITS) {
                violation.set("more than " + PERMITS + " permits in use");
            }
            return true;
        });
        if (timed) {
            got = got.recover(failure -> {
                if (!(failure instanceof DeadlineExceededException)) {
                    throw new AssertionError(failure);
                }
                timeouts.incrementAndGet();
                return false;
            });
        }
        return got.then(acquired -> {
            if (!acquired) {
                return round(s, task, round + 1, held, inUse, grants, timeouts, violation);
            }
            return Async.yieldNow().then(y -> {
                inUse.addAndGet(-n);
                held[task] = 0;
                s.release(n);
                return round(s, task, round + 1, held, inUse, grants, timeouts, violation);
            });
        });
    }
}
