package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import org.junit.jupiter.api.Test;

/** {@link Oneshot}: one send, every receive sees it, close before and after, a dropped receive. */
class OneshotTest {

    @Test
    void oneSend_reachesEveryReceive_madeBeforeOrAfter() {
        Oneshot<String> o = new Oneshot<>();
        Polled<String> before = new Polled<>(o.receive());
        assertThat(before.ready()).isFalse();
        assertThat(o.send("v")).isTrue();
        assertThat(o.send("w")).as("once").isFalse();
        assertThat(before.wakes()).isEqualTo(1);
        assertThat(before.poll().value()).isEqualTo("v");
        assertThat(new Polled<>(o.receive()).poll().value()).isEqualTo("v");
        assertThatThrownBy(before::poll).isInstanceOf(IllegalStateException.class)
                .hasMessage("a oneshot's receive was polled after it completed");
        o.close(); // after a send: changes nothing
        assertThat(new Polled<>(o.receive()).poll().value()).isEqualTo("v");
        assertThat(o).hasToString("Oneshot[sent]");
    }

    @Test
    void nullIsAValue_forASignal() {
        Oneshot<Void> signal = new Oneshot<>();
        Polled<Void> waiting = new Polled<>(signal.receive());
        assertThat(waiting.ready()).isFalse();
        assertThat(signal.send(null)).isTrue();
        assertThat(waiting.ready()).isTrue();
    }

    @Test
    void close_beforeASend_failsTheReceives_andRefusesTheSend() {
        Oneshot<String> o = new Oneshot<>();
        Polled<String> waiting = new Polled<>(o.receive());
        assertThat(waiting.ready()).isFalse();
        o.close();
        assertThat(waiting.wakes()).isEqualTo(1);
        assertThatThrownBy(waiting::poll).isInstanceOf(ChannelClosedException.class)
                .hasMessage("the oneshot was closed before a value was sent");
        assertThatThrownBy(() -> new Polled<>(o.receive()).poll())
                .isInstanceOf(ChannelClosedException.class);
        assertThat(o.send("late")).isFalse();
    }

    @Test
    void aDroppedReceive_leavesTheQueue() {
        Oneshot<String> o = new Oneshot<>();
        Polled<String> dropped = new Polled<>(o.receive());
        Polled<String> kept = new Polled<>(o.receive());
        assertThat(dropped.ready()).isFalse();
        assertThat(kept.ready()).isFalse();
        dropped.drop();
        o.send("v");
        assertThat(dropped.wakes()).isZero();
        assertThat(kept.wakes()).isEqualTo(1);
    }

    @Test
    void aReplyFromAnotherTask_onBothWorkers() {
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(2).build()) {
            Oneshot<Integer> reply = new Oneshot<>();
            JoinHandle<Integer> asker = rt.spawn(reply.receive().map(v -> v + 1));
            rt.spawn(dev.weft.Async.ready(41).map(reply::send));
            assertThat(asker.join()).isEqualTo(42);
        }
    }
}
