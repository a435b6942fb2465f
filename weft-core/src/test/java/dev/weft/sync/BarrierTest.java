package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.RuntimeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Barrier}: generations, one leader each, a dropped await that stops counting. */
class BarrierTest {

    @Test
    void partiesBelowOne_areRefused() {
        assertThatThrownBy(() -> new Barrier(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parties must be 1 or more, was 0");
    }

    @Test
    void theLastToArrive_leads_andReleasesTheOthers_thenItStartsOver() {
        Barrier b = new Barrier(3);
        for (int generation = 0; generation < 2; generation++) {
            Polled<Boolean> first = new Polled<>(b.await());
            Polled<Boolean> second = new Polled<>(b.await());
            assertThat(first.ready()).isFalse();
            assertThat(second.ready()).isFalse();
            assertThat(b).hasToString("Barrier[2 of 3 arrived]");
            assertThat(new Polled<>(b.await()).poll().value()).as("the leader").isTrue();
            assertThat(first.wakes()).isEqualTo(1);
            assertThat(first.poll().value()).isFalse();
            assertThat(second.poll().value()).isFalse();
            assertThat(b).hasToString("Barrier[0 of 3 arrived]");
        }
    }

    @Test
    void aDroppedAwait_stopsCounting() {
        Barrier b = new Barrier(2);
        Polled<Boolean> dropped = new Polled<>(b.await());
        assertThat(dropped.ready()).isFalse();
        dropped.drop();
        Polled<Boolean> next = new Polled<>(b.await());
        assertThat(next.ready()).as("alone in the generation now").isFalse();
        assertThat(new Polled<>(b.await()).poll().value()).isTrue();
        assertThat(next.poll().value()).isFalse();
        assertThat(dropped.wakes()).isZero();
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void tasksInStep_oneLeaderPerGeneration(RuntimeKind kind) {
        int parties = 5;
        int generations = 50;
        try (AsyncRuntime rt = kind.build()) {
            Barrier b = new Barrier(parties);
            AtomicInteger leaders = new AtomicInteger();
            List<JoinHandle<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < parties; t++) {
                tasks.add(rt.spawn(steps(b, generations, leaders)));
            }
            rt.blockOn(Async.joinAll(tasks));
            assertThat(leaders.get()).isEqualTo(generations);
        }
    }

    private static Future<Void> steps(Barrier b, int left, AtomicInteger leaders) {
        if (left == 0) {
            return Async.ready(null);
        }
        return b.await().then(leader -> {
            if (leader) {
                leaders.incrementAndGet();
            }
            return steps(b, left - 1, leaders);
        });
    }
}
