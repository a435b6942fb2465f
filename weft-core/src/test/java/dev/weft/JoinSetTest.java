package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link JoinSet}: results in completion order, null once empty, failures and aborts reported
 * as awaiting the handle would, close aborting what is left, and the runtime it spawns on.
 */
class JoinSetTest {

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void results_comeInTheOrderTasksEnd_thenNull(RuntimeKind kind) {
        try (AsyncRuntime rt = kind.build()) {
            JoinSet<Integer> set = new JoinSet<>(rt);
            List<Latch> gates = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Latch gate = new Latch();
                gates.add(gate);
                int value = i;
                set.spawn(gate.map(v -> value));
            }
            assertThat(set.size()).isEqualTo(5);
            List<Integer> order = new ArrayList<>();
            for (int i = 4; i >= 0; i--) {
                gates.get(i).open();
                order.add(rt.blockOn(set.joinNext()));
            }
            assertThat(order).containsExactly(4, 3, 2, 1, 0);
            assertThat(set.size()).isZero();
            assertThat(rt.blockOn(set.joinNext())).as("empty").isNull();
        }
    }

    @Test
    void aFailedTask_failsItsJoin_andTheOthersStillCome() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            JoinSet<String> set = new JoinSet<>(rt);
            set.spawn(Async.ready("fine"));
            set.spawn(Async.ready("x").map(v -> {
                throw new IllegalArgumentException("boom");
            }));
            rt.runUntilStalled();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                try {
                    seen.add(rt.blockOn(set.joinNext()));
                } catch (IllegalArgumentException e) {
                    seen.add(e.getMessage());
                }
            }
            assertThat(seen).containsExactlyInAnyOrder("fine", "boom");
        }
    }

    @Test
    void close_abortsWhatIsLeft_whichJoinsAsCancelled() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            JoinSet<Void> set = new JoinSet<>(rt);
            JoinHandle<Void> a = set.spawn(new Latch());
            JoinHandle<Void> b = set.spawn(new Latch());
            rt.runUntilStalled();
            set.close();
            assertThat(a.isDone()).isTrue();
            assertThat(b.isDone()).isTrue();
            assertThatThrownBy(() -> rt.blockOn(set.joinNext()))
                    .isInstanceOf(TaskCancelledException.class);
            assertThatThrownBy(() -> rt.blockOn(set.joinNext()))
                    .isInstanceOf(TaskCancelledException.class);
            assertThat(rt.blockOn(set.joinNext())).isNull();
        }
    }

    @Test
    void insideATask_itSpawnsOnThatTask_sRuntime() {
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(2).build()) {
            int sum = rt.blockOn(Async.ready(null).then(v -> {
                JoinSet<Integer> set = new JoinSet<>();
                for (int i = 1; i <= 10; i++) {
                    set.spawn(Async.ready(i));
                }
                return sumAll(set, 0);
            }));
            assertThat(sum).isEqualTo(55);
        }
        assertThatThrownBy(() -> new JoinSet<Integer>().spawn(Async.ready(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Weft runtime on thread");
    }

    private static Future<Integer> sumAll(JoinSet<Integer> set, int sum) {
        return set.joinNext().then(v -> v == null ? Async.ready(sum) : sumAll(set, sum + v));
    }

    @Test
    void aTaskThatFailsWithAnError_beforeTheSetWatchesIt_isStillJoined() {
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(2).build()) {
            for (int i = 0; i < 200; i++) {
                JoinSet<Integer> set = new JoinSet<>(rt);
                set.spawn(Async.ready(1).map(v -> {
                    throw new AssertionError("an error, not an exception");
                }));
                assertThatThrownBy(() -> rt.blockOn(set.joinNext()))
                        .isInstanceOf(AssertionError.class);
                assertThat(set.size()).isZero();
            }
        }
    }

    @Test
    void aDroppedJoinNext_takesNothingOut() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            JoinSet<String> set = new JoinSet<>(rt);
            Latch gate = new Latch();
            set.spawn(gate.map(v -> "kept"));
            JoinHandle<?> waiter = rt.spawn(set.joinNext());
            rt.runUntilStalled();
            waiter.abort();
            gate.open();
            rt.runUntilStalled();
            assertThat(set.size()).isEqualTo(1);
            assertThat(rt.blockOn(set.joinNext())).isEqualTo("kept");
        }
    }
}
