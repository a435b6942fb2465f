package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Await;
import dev.weft.DeadlineExceededException;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Latch;
import dev.weft.RuntimeKind;
import dev.weft.TaskCancelledException;
import dev.weft.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Mutex}: the guard's rules, FIFO order, a dropped lock future (alone, in a join, in a
 * blockOn the runtime leaves), withLock's unlock on completion, failure, abort and timeout, and
 * mutual exclusion across two workers.
 */
class MutexTest {

    @Test
    void theGuard_readsAndWritesTheValue_untilUnlocked() {
        Mutex<String> m = new Mutex<>("a");
        Polled<Mutex.Guard<String>> lock = new Polled<>(m.lock());
        Mutex.Guard<String> g = lock.poll().value();
        assertThat(g.get()).isEqualTo("a");
        g.set("b");
        assertThat(m.tryLock()).as("held").isNull();
        assertThat(m).hasToString("Mutex[locked]");
        g.unlock();
        assertThatThrownBy(g::get).isInstanceOf(IllegalStateException.class)
                .hasMessage("this guard of Mutex[unlocked] was unlocked");
        assertThatThrownBy(() -> g.set("c")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(g::unlock).isInstanceOf(IllegalStateException.class)
                .hasMessage("this guard of Mutex[unlocked] was unlocked already");
        Mutex.Guard<String> again = m.tryLock();
        assertThat(again.get()).isEqualTo("b");
        again.unlock();
    }

    @Test
    void waiters_getTheLock_inTheOrderTheyAsked() {
        Mutex<Integer> m = new Mutex<>(0);
        Mutex.Guard<Integer> first = m.tryLock();
        List<Polled<Mutex.Guard<Integer>>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Polled<Mutex.Guard<Integer>> w = new Polled<>(m.lock());
            assertThat(w.ready()).isFalse();
            waiters.add(w);
        }
        assertThat(m.tryLock()).as("no overtaking the queue").isNull();
        first.unlock();
        for (int i = 0; i < 3; i++) {
            assertThat(waiters.get(i).wakes()).isEqualTo(1);
            for (int j = i + 1; j < 3; j++) {
                assertThat(waiters.get(j).wakes()).isZero();
            }
            Mutex.Guard<Integer> g = waiters.get(i).poll().value();
            g.set(g.get() + 1);
            g.unlock();
        }
        assertThat(m.tryLock().get()).isEqualTo(3);
    }

    @Test
    void aDroppedLockFuture_leavesTheQueue_orHandsTheLockOn() {
        Mutex<String> m = new Mutex<>("v");
        Mutex.Guard<String> held = m.tryLock();
        Polled<Mutex.Guard<String>> dropped = new Polled<>(m.lock());
        Polled<Mutex.Guard<String>> next = new Polled<>(m.lock());
        assertThat(dropped.ready()).isFalse();
        assertThat(next.ready()).isFalse();
        dropped.drop(); // while queued
        held.unlock();
        assertThat(next.wakes()).isEqualTo(1);
        Polled<Mutex.Guard<String>> granted = new Polled<>(m.lock());
        assertThat(granted.ready()).isFalse();
        next.poll().value().unlock(); // grants the lock to `granted`, which is dropped unpolled
        assertThat(granted.wakes()).isEqualTo(1);
        granted.drop();
        assertThat(m.tryLock()).as("the lock came back").isNotNull();
    }

    @Test
    void withLock_unlocksWhenTheBodyCompletes_fails_orItsTaskIsAborted() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            Mutex<Integer> m = new Mutex<>(0);
            JoinHandle<Integer> done = rt.spawn(m.withLock(g -> {
                g.set(g.get() + 1);
                return Async.ready(g.get());
            }));
            rt.runUntilStalled();
            assertThat(done.join()).isEqualTo(1);
            assertThat(m).hasToString("Mutex[unlocked]");

            JoinHandle<Integer> failed = rt.spawn(m.withLock(g -> Async.ready(null).map(v -> {
                throw new IllegalArgumentException("boom");
            })));
            rt.runUntilStalled();
            assertThatThrownBy(failed::join).hasMessage("boom");
            assertThat(m).hasToString("Mutex[unlocked]");

            JoinHandle<Void> aborted = rt.spawn(m.withLock(g -> new Latch()));
            JoinHandle<Integer> next = rt.spawn(m.withLock(g -> Async.ready(g.get())));
            rt.runUntilStalled();
            assertThat(next.isDone()).isFalse();
            aborted.abort();
            rt.runUntilStalled();
            assertThatThrownBy(aborted::join).isInstanceOf(TaskCancelledException.class);
            assertThat(next.join()).isEqualTo(1);
            assertThat(m).hasToString("Mutex[unlocked]");
        }
    }

    @Test
    void withLock_droppedByAnExpiredTimeout_unlocks() {
        ManualClock clock = new ManualClock();
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            Mutex<String> m = new Mutex<>("v");
            JoinHandle<Void> timed = rt.spawn(
                    m.withLock(g -> new Latch()).timeout(Duration.ofSeconds(1)));
            rt.runUntilStalled();
            assertThat(m).hasToString("Mutex[locked]");
            clock.advance(Duration.ofSeconds(1));
            rt.runUntilStalled();
            assertThatThrownBy(timed::join).isInstanceOf(DeadlineExceededException.class);
            assertThat(m).hasToString("Mutex[unlocked]");
        }
    }

    @Test
    void withLock_whoseBodyUnlocks_doesNotUnlockTwice() {
        Mutex<String> m = new Mutex<>("v");
        Polled<String> p = new Polled<>(m.withLock(g -> {
            String v = g.get();
            g.unlock();
            return Async.ready(v);
        }));
        assertThat(p.poll().value()).isEqualTo("v");
        assertThat(m.tryLock()).isNotNull();
        assertThat(m.tryLock()).as("one permit, not two").isNull();
    }

    @Test
    void aGuardFromLock_isItsHolder_s_andMayBeUnlockedByAnotherTask() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            Mutex<String> m = new Mutex<>("v");
            Mutex.Guard<String> g = rt.blockOn(m.lock());
            assertThat(m.tryLock()).as("blockOn returned the lock, held").isNull();
            JoinHandle<String> other = rt.spawn(Async.ready(null).map(v -> {
                String seen = g.get();
                g.unlock();
                return seen;
            }));
            rt.runUntilStalled();
            assertThat(other.join()).isEqualTo("v");
            assertThat(m).hasToString("Mutex[unlocked]");
        }
    }

    @Test
    void aLockFuture_polledAgainAfterItsGuard_refuses() {
        Mutex<String> m = new Mutex<>("v");
        Polled<Mutex.Guard<String>> p = new Polled<>(m.lock());
        Mutex.Guard<String> g = p.poll().value();
        assertThatThrownBy(p::poll).isInstanceOf(IllegalStateException.class)
                .hasMessage("an acquire of 1 permits was polled after it completed");
        g.unlock();
        assertThat(m.tryLock()).isNotNull();
        assertThat(m.tryLock()).isNull();
    }

    @Test
    void aLockWaitingInsideAJoin_leavesTheQueue_whenItsTaskIsAborted_orTheOtherBranchFails() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            Mutex<String> m = new Mutex<>("v");
            Mutex.Guard<String> held = m.tryLock();
            Latch gate = new Latch();
            JoinHandle<?> aborted = rt.spawn(Async.join(m.lock(), new Latch()));
            JoinHandle<?> failing = rt.spawn(Async.join(m.lock(), gate.map(v -> {
                throw new IllegalStateException("the other branch failed");
            })));
            JoinHandle<?> inJoinAll = rt.spawn(Async.joinAll(List.of(m.lock(), new Latch())));
            rt.runUntilStalled();
            aborted.abort();
            inJoinAll.abort();
            gate.open();
            rt.runUntilStalled();
            assertThatThrownBy(failing::join).hasMessage("the other branch failed");
            held.unlock();
            assertThat(m.tryLock()).as("nobody left waiting for the lock").isNotNull();
        }
    }

    @Test
    void aBlockOnThatIsLeftWhenTheRuntimeStops_leavesTheQueue() throws Exception {
        AsyncRuntime rt = AsyncRuntime.builder().workerThreads(1).build();
        Mutex<String> m = new Mutex<>("v");
        Mutex.Guard<String> held = m.tryLock();
        java.util.concurrent.CompletableFuture<Throwable> outcome =
                new java.util.concurrent.CompletableFuture<>();
        Thread waiter = Await.thread("waiter", () -> {
            try {
                rt.blockOn(m.lock());
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Await.until("the blockOn to wait", () -> m.semaphore.toString().contains("waiters"));
        rt.shutdown(Duration.ZERO);
        Await.join(waiter);
        assertThat(outcome.get()).isInstanceOf(TaskCancelledException.class);
        held.unlock();
        assertThat(m.tryLock()).as("the blockOn's lock future left the queue").isNotNull();
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void oneHolderAtATime_underContention(RuntimeKind kind) {
        try (AsyncRuntime rt = kind.build()) {
            Mutex<Integer> m = new Mutex<>(0);
            int tasks = 100;
            int rounds = 100;
            List<JoinHandle<Void>> handles = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                handles.add(rt.spawn(Async.ready(null).then(v -> increments(m, rounds))));
            }
            rt.blockOn(Async.joinAll(handles));
            Mutex.Guard<Integer> g = m.tryLock();
            assertThat(g.get()).isEqualTo(tasks * rounds);
            g.unlock();
        }
    }

    /** Locks, reads, yields holding the lock, writes the increment, unlocks: n times. */
    private static Future<Void> increments(Mutex<Integer> m, int n) {
        if (n == 0) {
            return Async.ready(null);
        }
        return m.lock().then(g -> {
            int seen = g.get();
            return Async.yieldNow().then(y -> {
                g.set(seen + 1); // a lost update if two tasks held the lock at once
                g.unlock();
                return increments(m, n - 1);
            });
        });
    }
}
