package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import dev.weft.TaskCancelledException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Channel}'s rules, one at a time, for each kind: order, room, direct hand-off to a
 * waiting receiver, FIFO waiters, close, and what a dropped send or receive does with its
 * message; then an aborted receiving task.
 */
class ChannelTest {

    @Test
    void badArguments_areRefused_namingTheValue() {
        assertThatThrownBy(() -> Channel.bounded(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be 1 or more, was 0 (Channel.rendezvous() buffers "
                        + "none)");
        Channel<String> c = Channel.unbounded();
        assertThatThrownBy(() -> c.send(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("value");
        assertThatThrownBy(() -> c.trySend(null)).hasMessage("value");
    }

    @Test
    void aBoundedChannel_keepsOrder_andASenderWaitsForRoom() {
        Channel<Integer> c = Channel.bounded(2);
        assertThat(c.trySend(1)).isTrue();
        assertThat(new Polled<>(c.send(2)).ready()).isTrue();
        assertThat(c.trySend(3)).isFalse();
        Polled<Void> third = new Polled<>(c.send(3));
        Polled<Void> fourth = new Polled<>(c.send(4));
        assertThat(third.ready()).isFalse();
        assertThat(fourth.ready()).isFalse();
        assertThat(c.size()).isEqualTo(2);

        assertThat(c.tryReceive()).isEqualTo(1); // room: the first waiting sender's message in
        assertThat(third.wakes()).isEqualTo(1);
        assertThat(fourth.wakes()).isZero();
        assertThat(third.ready()).isTrue();
        assertThat(new Polled<>(c.receive()).poll().value()).isEqualTo(2);
        assertThat(fourth.ready()).isTrue();
        assertThat(c.tryReceive()).isEqualTo(3);
        assertThat(c.tryReceive()).isEqualTo(4);
        assertThat(c.tryReceive()).isNull();
    }

    @Test
    void anUnboundedChannel_neverMakesASenderWait_andKeepsOrderAcrossItsGrowth() {
        Channel<Integer> c = Channel.unbounded();
        int next = 0;
        for (int i = 0; i < 100; i++) {
            assertThat(new Polled<>(c.send(i)).ready()).isTrue();
            if (i % 3 == 0) {
                assertThat(c.tryReceive()).isEqualTo(next++); // the ring wraps as it grows
            }
        }
        assertThat(c.size()).isEqualTo(100 - next);
        while (next < 100) {
            assertThat(c.tryReceive()).isEqualTo(next++);
        }
    }

    @Test
    void aRendezvousChannel_buffersNothing() {
        Channel<String> c = Channel.rendezvous();
        assertThat(c.trySend("x")).as("nobody waits to receive").isFalse();
        Polled<Void> sender = new Polled<>(c.send("a"));
        assertThat(sender.ready()).isFalse();
        assertThat(c.size()).isZero();
        assertThat(new Polled<>(c.receive()).poll().value()).isEqualTo("a");
        assertThat(sender.wakes()).isEqualTo(1);
        assertThat(sender.ready()).isTrue();

        Polled<String> receiver = new Polled<>(c.receive());
        assertThat(receiver.ready()).isFalse();
        assertThat(c.trySend("b")).isTrue();
        assertThat(receiver.wakes()).isEqualTo(1);
        assertThat(receiver.poll().value()).isEqualTo("b");

        Polled<Void> another = new Polled<>(c.send("c"));
        assertThat(another.ready()).isFalse();
        assertThat(c.tryReceive()).isEqualTo("c");
        assertThat(another.ready()).isTrue();
    }

    @Test
    void waitingReceivers_areHandedMessages_inTheOrderTheyCame() {
        Channel<Integer> c = Channel.bounded(4);
        List<Polled<Integer>> receivers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Polled<Integer> r = new Polled<>(c.receive());
            assertThat(r.ready()).isFalse();
            receivers.add(r);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(new Polled<>(c.send(i)).ready()).isTrue();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(receivers.get(i).wakes()).isEqualTo(1);
            assertThat(receivers.get(i).poll().value()).isEqualTo(i);
        }
        assertThat(c.size()).as("handed over, never buffered").isZero();
    }

    @Test
    void close_failsWaitingSenders_endsWaitingReceivers_andKeepsWhatIsBuffered() {
        Channel<String> c = Channel.bounded(1);
        assertThat(c.trySend("kept")).isTrue();
        Polled<Void> waitingSender = new Polled<>(c.send("lost"));
        assertThat(waitingSender.ready()).isFalse();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(waitingSender.wakes()).isEqualTo(1);
        assertThatThrownBy(waitingSender::poll).isInstanceOf(ChannelClosedException.class)
                .hasMessage("the channel is closed: the message was not sent");
        assertThatThrownBy(() -> c.trySend("late")).isInstanceOf(ChannelClosedException.class);
        assertThatThrownBy(() -> new Polled<>(c.send("late")).poll())
                .isInstanceOf(ChannelClosedException.class);
        assertThat(c).hasToString("Channel[bounded(1), 1 buffered, closed]");
        assertThat(new Polled<>(c.receive()).poll().value()).isEqualTo("kept");
        assertThat(new Polled<>(c.receive()).poll().value()).as("closed and drained").isNull();
        assertThat(c.tryReceive()).isNull();

        Channel<String> empty = Channel.unbounded();
        Polled<String> waitingReceiver = new Polled<>(empty.receive());
        assertThat(waitingReceiver.ready()).isFalse();
        empty.close();
        empty.close(); // idempotent
        assertThat(waitingReceiver.wakes()).isEqualTo(1);
        assertThat(waitingReceiver.poll().value()).isNull();
    }

    @Test
    void aDroppedWaitingSend_leavesTheQueue_unsent() {
        Channel<String> c = Channel.bounded(1);
        assertThat(c.trySend("a")).isTrue();
        Polled<Void> dropped = new Polled<>(c.send("dropped"));
        Polled<Void> kept = new Polled<>(c.send("b"));
        assertThat(dropped.ready()).isFalse();
        assertThat(kept.ready()).isFalse();
        dropped.drop();
        assertThat(c.tryReceive()).isEqualTo("a");
        assertThat(kept.ready()).isTrue();
        assertThat(c.tryReceive()).isEqualTo("b");
        assertThat(c.tryReceive()).isNull();
    }

    @Test
    void aMessageHandedToADroppedReceive_goesToTheNextReceiver() {
        Channel<String> c = Channel.unbounded();
        Polled<String> dropped = new Polled<>(c.receive());
        Polled<String> next = new Polled<>(c.receive());
        assertThat(dropped.ready()).isFalse();
        assertThat(next.ready()).isFalse();
        assertThat(c.trySend("m")).isTrue(); // handed to `dropped`, which never takes it
        dropped.drop();
        assertThat(next.wakes()).isEqualTo(1);
        assertThat(next.poll().value()).isEqualTo("m");
    }

    @Test
    void aMessageHandedToADroppedReceive_withNobodyWaiting_isReceivedFirst() {
        Channel<String> c = Channel.bounded(1);
        Polled<String> dropped = new Polled<>(c.receive());
        assertThat(dropped.ready()).isFalse();
        assertThat(c.trySend("first")).isTrue(); // handed to the waiting receive
        assertThat(c.trySend("second")).isTrue(); // buffered
        dropped.drop();
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.tryReceive()).isEqualTo("first");
        assertThat(c.tryReceive()).isEqualTo("second");
    }

    @Test
    void aClosedChannel_isNotDrained_whileAMessageHandedToAReceiveMayComeBack() {
        Channel<String> c = Channel.unbounded();
        Polled<String> handed = new Polled<>(c.receive());
        assertThat(handed.ready()).isFalse();
        assertThat(c.trySend("m")).isTrue(); // handed to the waiting receive
        c.close();
        Polled<String> other = new Polled<>(c.receive());
        assertThat(other.ready()).as("m may come back: not drained yet").isFalse();
        handed.drop(); // m comes back, to the other waiting receive
        assertThat(other.wakes()).isEqualTo(1);
        assertThat(other.poll().value()).isEqualTo("m");
        assertThat(new Polled<>(c.receive()).poll().value()).as("now drained").isNull();

        Channel<String> taken = Channel.unbounded();
        Polled<String> first = new Polled<>(taken.receive());
        assertThat(first.ready()).isFalse();
        taken.trySend("x");
        taken.close();
        Polled<String> second = new Polled<>(taken.receive());
        assertThat(second.ready()).isFalse();
        assertThat(first.poll().value()).isEqualTo("x"); // taken: the channel is drained
        assertThat(second.wakes()).isEqualTo(1);
        assertThat(second.poll().value()).isNull();
    }

    @Test
    void aBoundedChannelOfHugeCapacity_allocatesAsItFills() {
        Channel<Integer> c = Channel.bounded(Integer.MAX_VALUE);
        for (int i = 0; i < 100; i++) {
            assertThat(c.trySend(i)).isTrue();
        }
        assertThat(c.tryReceive()).isZero();
        assertThat(c.size()).isEqualTo(99);
    }

    @Test
    void anAbortedReceivingTask_takesNoMessage() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            Channel<String> c = Channel.bounded(4);
            JoinHandle<String> aborted = rt.spawn(c.receive());
            JoinHandle<String> next = rt.spawn(c.receive());
            rt.runUntilStalled();
            aborted.abort();
            assertThat(c.trySend("only")).isTrue();
            rt.runUntilStalled();
            assertThatThrownBy(aborted::join).isInstanceOf(TaskCancelledException.class);
            assertThat(next.join()).isEqualTo("only");
        }
    }
}
