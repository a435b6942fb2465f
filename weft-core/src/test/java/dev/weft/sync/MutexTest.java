package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Latch;
import dev.weft.RuntimeKind;
import dev.weft.TaskCancelledException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Mutex}: the guard's rules, FIFO order, a dropped lock future, who unlocks when a task
 * holding the lock is aborted, fails or completes, and mutual exclusion across two workers.
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
    void aTaskAbortedWhileHoldingTheLock_hasItUnlocked() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            Mutex<String> m = new Mutex<>("v");
            Latch never = new Latch();
            JoinHandle<Void> holder = rt.spawn(m.lock().then(g -> never));
            JoinHandle<String> next = rt.spawn(m.lock().map(g -> {
                g.unlock();
                return "next";
            }));
            rt.runUntilStalled();
            assertThat(next.isDone()).isFalse();
            holder.abort();
            rt.runUntilStalled();
            assertThatThrownBy(holder::join).isInstanceOf(TaskCancelledException.class);
            assertThat(next.join()).isEqualTo("next");
            assertThat(m).hasToString("Mutex[unlocked]");
        }
    }

    @Test
    void aTaskThatFailsWhileHoldingTheLock_hasItUnlocked() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            Mutex<String> m = new Mutex<>("v");
            JoinHandle<String> failing = rt.spawn(m.lock().map(g -> {
                throw new IllegalArgumentException("boom");
            }));
            rt.runUntilStalled();
            assertThatThrownBy(failing::join).hasMessage("boom");
            assertThat(m).hasToString("Mutex[unlocked]");
        }
    }

    @Test
    void aGuardReturnedWithAValue_staysLocked_forItsReceiver() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            Mutex<String> m = new Mutex<>("v");
            Mutex.Guard<String> g = rt.blockOn(m.lock());
            assertThat(m.tryLock()).as("blockOn returned the lock, held").isNull();
            JoinHandle<Mutex.Guard<String>> task = rt.spawn(Async.ready(null).then(v -> {
                g.unlock(); // another holder's guard, unlocked here
                return m.lock();
            }));
            rt.runUntilStalled();
            Mutex.Guard<String> fromTask = task.join();
            assertThat(m.tryLock()).as("a task's result keeps its lock").isNull();
            assertThat(fromTask.get()).isEqualTo("v");
            fromTask.unlock();
            assertThat(m).hasToString("Mutex[unlocked]");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aBlockOnThatFails_unlocksWhatItsFutureLocked(RuntimeKind kind) {
        try (AsyncRuntime rt = kind.build()) {
            Mutex<String> m = new Mutex<>("v");
            assertThatThrownBy(() -> rt.blockOn(m.lock().map(g -> {
                throw new IllegalStateException("failed holding the lock");
            }))).hasMessage("failed holding the lock");
            assertThat(m).hasToString("Mutex[unlocked]");
        }
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
