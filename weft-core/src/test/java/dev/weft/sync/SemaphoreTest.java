package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.DeadlineExceededException;
import dev.weft.JoinHandle;
import dev.weft.TaskCancelledException;
import dev.weft.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link Semaphore}'s rules, one at a time: counts, fairness (FIFO, no overtaking, partial
 * grants), what a dropped waiter gives back, close, bad arguments; then through a runtime: an
 * aborted task and an expired timeout leave the queue and lose no permit.
 */
class SemaphoreTest {

    @Test
    void permitsOutOfRange_areRefused_namingTheValue() {
        assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("permits must be between 0 and 536870911, was -1");
        assertThatThrownBy(() -> new Semaphore(Semaphore.MAX_PERMITS + 1))
                .hasMessageContaining("was 536870912");
        Semaphore s = new Semaphore(1);
        assertThatThrownBy(() -> s.acquire(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be between 1 and 536870911, was 0");
        assertThatThrownBy(() -> s.tryAcquire(-3)).hasMessageContaining("was -3");
        assertThatThrownBy(() -> s.release(0)).hasMessageContaining("was 0");
        s.release(Semaphore.MAX_PERMITS - 1);
        assertThatThrownBy(() -> s.release(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than MAX_PERMITS");
        assertThat(s.availablePermits()).isEqualTo(Semaphore.MAX_PERMITS);
    }

    @Test
    void freePermits_areTakenAtOnce_andCountedBack() {
        Semaphore s = new Semaphore(3);
        assertThat(new Polled<>(s.acquire(2)).ready()).isTrue();
        assertThat(s.tryAcquire(1)).isTrue();
        assertThat(s.tryAcquire(1)).isFalse();
        assertThat(s.availablePermits()).isZero();
        s.release(3);
        assertThat(s.availablePermits()).isEqualTo(3);
    }

    @Test
    void anAcquireDoesNothingUntilPolled() {
        Semaphore s = new Semaphore(1);
        s.acquire();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void waiters_areServedInOrder_withPartialGrants_andNoOvertaking() {
        Semaphore s = new Semaphore(0);
        Polled<Void> two = new Polled<>(s.acquire(2));
        Polled<Void> one = new Polled<>(s.acquire(1));
        assertThat(two.ready()).isFalse();
        assertThat(one.ready()).isFalse();

        s.release(1); // to the head, which needs one more
        assertThat(two.wakes()).isZero();
        assertThat(s.tryAcquire(1)).as("no overtaking the queue").isFalse();
        assertThat(s.availablePermits()).isZero();

        s.release(1);
        assertThat(two.wakes()).isEqualTo(1);
        assertThat(one.wakes()).isZero();
        assertThat(two.ready()).isTrue();
        assertThat(one.ready()).isFalse();

        s.release(2); // one to the last waiter, one free
        assertThat(one.wakes()).isEqualTo(1);
        assertThat(one.ready()).isTrue();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void aLargeRequest_waitsAhead_ofSmallerOnesThatCome_later() {
        Semaphore s = new Semaphore(1);
        Polled<Void> big = new Polled<>(s.acquire(3));
        assertThat(big.ready()).isFalse(); // took the free permit, waits for two more
        assertThat(s.availablePermits()).isZero();
        Polled<Void> small = new Polled<>(s.acquire(1));
        assertThat(small.ready()).isFalse();
        s.release(2);
        assertThat(big.ready()).isTrue();
        assertThat(small.ready()).isFalse();
    }

    @Test
    void aDroppedWaiter_leavesTheQueue_andHandsOnWhatItWasGiven() {
        Semaphore s = new Semaphore(1);
        Polled<Void> big = new Polled<>(s.acquire(3));
        Polled<Void> next = new Polled<>(s.acquire(1));
        assertThat(big.ready()).isFalse();
        assertThat(next.ready()).isFalse();
        big.drop(); // the permit it held goes to the next waiter
        assertThat(next.wakes()).isEqualTo(1);
        assertThat(next.ready()).isTrue();
        assertThat(s.availablePermits()).isZero();
        s.release(1);
        assertThat(s.availablePermits()).as("nothing went to the dropped waiter").isEqualTo(1);
    }

    @Test
    void aWaiterDroppedAfterItsGrant_butBeforeItsPoll_givesThePermitsBack() {
        Semaphore s = new Semaphore(0);
        Polled<Void> w = new Polled<>(s.acquire(2));
        assertThat(w.ready()).isFalse();
        s.release(2);
        assertThat(w.wakes()).isEqualTo(1);
        w.drop();
        assertThat(s.availablePermits()).isEqualTo(2);
        w.drop(); // idempotent
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    @Test
    void droppingAReadyAcquire_keepsThePermitsTheCaller_s() {
        Semaphore s = new Semaphore(1);
        Polled<Void> w = new Polled<>(s.acquire(1));
        assertThat(w.ready()).isTrue();
        w.drop();
        assertThat(s.availablePermits()).isZero();
    }

    @Test
    void close_failsTheWaiters_andEveryLaterAcquire_butReleaseStillCounts() {
        Semaphore s = new Semaphore(1);
        Polled<Void> w = new Polled<>(s.acquire(2));
        assertThat(w.ready()).isFalse();
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(w.wakes()).isEqualTo(1);
        assertThatThrownBy(w::poll).isInstanceOf(IllegalStateException.class)
                .hasMessage("the semaphore is closed");
        assertThat(s.availablePermits()).as("the permit the waiter held came back").isEqualTo(1);
        assertThatThrownBy(() -> new Polled<>(s.acquire()).poll())
                .hasMessage("the semaphore is closed");
        assertThatThrownBy(() -> s.tryAcquire(1)).hasMessage("the semaphore is closed");
        s.release(1);
        assertThat(s.availablePermits()).isEqualTo(2);
        s.close(); // idempotent
        assertThat(s.toString()).isEqualTo("Semaphore[permits=2, closed]");
    }

    @Test
    void anAbortedTaskWaitingForAPermit_leavesTheQueue() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            Semaphore s = new Semaphore(0);
            JoinHandle<String> first = rt.spawn(s.acquire().map(v -> "first"));
            JoinHandle<String> second = rt.spawn(s.acquire().map(v -> "second"));
            rt.runUntilStalled();
            assertThat(first.abort()).isTrue();
            s.release(1);
            rt.runUntilStalled();
            assertThat(second.join()).isEqualTo("second");
            assertThatThrownBy(first::join).isInstanceOf(TaskCancelledException.class);
            assertThat(s.availablePermits()).isZero();
        }
    }

    @Test
    void anExpiredTimeout_dropsTheWait_andThePermitGoesToTheNextWaiter() {
        ManualClock clock = new ManualClock();
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            Semaphore s = new Semaphore(0);
            JoinHandle<Void> timed = rt.spawn(s.acquire().timeout(Duration.ofSeconds(1)));
            JoinHandle<String> patient = rt.spawn(s.acquire().map(v -> "patient"));
            rt.runUntilStalled();
            clock.advance(Duration.ofSeconds(1));
            rt.runUntilStalled();
            assertThatThrownBy(timed::join).isInstanceOf(DeadlineExceededException.class);
            s.release(1);
            rt.runUntilStalled();
            assertThat(patient.join()).isEqualTo("patient");
            assertThat(s.availablePermits()).isZero();
        }
    }

    @Test
    void aSemaphoreOfOne_guardsACounter_acrossTwoWorkers() {
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(2).build()) {
            Semaphore s = new Semaphore(1);
            int[] counter = {0};
            int tasks = 50;
            int rounds = 200;
            java.util.List<JoinHandle<Void>> handles = new java.util.ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                handles.add(rt.spawn(Async.ready(null).then(v -> loop(s, counter, rounds))));
            }
            rt.blockOn(Async.joinAll(handles));
            assertThat(counter[0]).isEqualTo(tasks * rounds);
            assertThat(s.availablePermits()).isEqualTo(1);
        }
    }

    /** Takes the permit, yields while holding it, counts, gives it back: {@code rounds} times. */
    private static dev.weft.Future<Void> loop(Semaphore s, int[] counter, int rounds) {
        if (rounds == 0) {
            return Async.ready(null);
        }
        return s.acquire().then(v -> {
            int seen = counter[0];
            return Async.yieldNow().then(y -> {
                counter[0] = seen + 1; // lost updates if two tasks held the permit at once
                s.release(1);
                return loop(s, counter, rounds - 1);
            });
        });
    }
}
