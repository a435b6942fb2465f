package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Watch}: the latest value, changed() once per unseen version, skipping to the latest;
 * {@link Broadcast}: every message to every receiver, the lag reported with its count, then the
 * rest, and null after a close once read up.
 */
class WatchAndBroadcastTest {

    @Test
    void watch_changedCompletesOncePerUnseenVersion_withTheLatestValue() {
        Watch<String> w = new Watch<>("a");
        Watch.Receiver<String> r = w.subscribe();
        assertThat(r.get()).isEqualTo("a");
        Polled<String> next = new Polled<>(r.changed());
        assertThat(next.ready()).as("nothing unseen").isFalse();
        w.set("b");
        w.set("c"); // two versions before the receiver looks: it sees the latest
        assertThat(next.wakes()).isEqualTo(1);
        assertThat(next.poll().value()).isEqualTo("c");
        assertThat(new Polled<>(r.changed()).ready()).as("c was seen").isFalse();
        assertThat(w).hasToString("Watch[version 2]");

        Watch.Receiver<String> late = w.subscribe();
        assertThat(new Polled<>(late.changed()).ready()).as("subscribed at the latest").isFalse();
        w.set("d");
        assertThat(new Polled<>(late.changed()).poll().value()).isEqualTo("d");
        assertThat(late.get()).isEqualTo("d");
    }

    @Test
    void watch_aDroppedChanged_takesNothing() {
        Watch<Integer> w = new Watch<>(0);
        Watch.Receiver<Integer> r = w.subscribe();
        Polled<Integer> dropped = new Polled<>(r.changed());
        assertThat(dropped.ready()).isFalse();
        dropped.drop();
        w.set(1);
        assertThat(dropped.wakes()).isZero();
        assertThat(new Polled<>(r.changed()).poll().value()).as("still unseen").isEqualTo(1);
    }

    @Test
    void broadcast_everyReceiverGetsEveryMessage_inOrder() {
        Broadcast<Integer> b = new Broadcast<>(4);
        Broadcast.Receiver<Integer> r1 = b.subscribe();
        Broadcast.Receiver<Integer> r2 = b.subscribe();
        Polled<Integer> waiting = new Polled<>(r1.receive());
        assertThat(waiting.ready()).isFalse();
        assertThat(b.send(1)).as("receivers subscribed").isEqualTo(2);
        assertThat(waiting.wakes()).isEqualTo(1);
        assertThat(waiting.poll().value()).isEqualTo(1);
        b.send(2);
        assertThat(new Polled<>(r1.receive()).poll().value()).isEqualTo(2);
        assertThat(new Polled<>(r2.receive()).poll().value()).isEqualTo(1);
        assertThat(new Polled<>(r2.receive()).poll().value()).isEqualTo(2);
    }

    @Test
    void broadcast_aReceiverThatFallsBehind_isToldHowMany_thenContinues() {
        Broadcast<Integer> b = new Broadcast<>(3);
        Broadcast.Receiver<Integer> r = b.subscribe();
        for (int i = 0; i < 5; i++) {
            b.send(i); // 0 and 1 are overwritten
        }
        assertThatThrownBy(() -> new Polled<>(r.receive()).poll())
                .isInstanceOf(LaggedException.class)
                .hasMessage("the receiver fell behind and missed 2 messages")
                .satisfies(e -> assertThat(((LaggedException) e).missed()).isEqualTo(2));
        assertThat(new Polled<>(r.receive()).poll().value()).isEqualTo(2);
        assertThat(new Polled<>(r.receive()).poll().value()).isEqualTo(3);
        assertThat(new Polled<>(r.receive()).poll().value()).isEqualTo(4);
    }

    @Test
    void broadcast_close_refusesSends_andEndsEachReceiverOnceReadUp() {
        Broadcast<String> b = new Broadcast<>(2);
        Broadcast.Receiver<String> r = b.subscribe();
        Polled<String> waiting = new Polled<>(b.subscribe().receive());
        assertThat(waiting.ready()).isFalse();
        b.send("last");
        b.close();
        assertThatThrownBy(() -> b.send("late")).isInstanceOf(ChannelClosedException.class);
        assertThatThrownBy(() -> new Broadcast<String>(0))
                .hasMessage("capacity must be 1 or more, was 0");
        assertThat(new Polled<>(r.receive()).poll().value()).isEqualTo("last");
        assertThat(new Polled<>(r.receive()).poll().value()).as("read up, closed").isNull();
        assertThat(waiting.poll().value()).isEqualTo("last");
    }

    @Test
    void broadcast_acrossWorkers_eachSubscriberCountsEveryMessage() {
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(2).build()) {
            Broadcast<Integer> b = new Broadcast<>(1_024);
            List<JoinHandle<Integer>> counts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Broadcast.Receiver<Integer> r = b.subscribe();
                counts.add(rt.spawn(count(r, 0)));
            }
            for (int i = 0; i < 1_000; i++) {
                b.send(i);
            }
            b.close();
            for (JoinHandle<Integer> c : counts) {
                assertThat(c.join()).isEqualTo(1_000);
            }
        }
    }

    private static Future<Integer> count(Broadcast.Receiver<Integer> r, int n) {
        return r.receive().then(v -> v == null ? Async.ready(n) : count(r, n + 1));
    }
}
