package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import org.junit.jupiter.api.Test;

/**
 * {@link Notify}: notifyOne's one stored permit and FIFO choice, notifyWaiters for the waiters
 * that exist (created futures included) and no permit, and a chosen waiter dropped before it saw
 * its notification passing it on.
 */
class NotifyTest {

    @Test
    void notifyOne_withNobodyWaiting_storesOnePermit() {
        Notify n = new Notify();
        n.notifyOne();
        n.notifyOne(); // still one
        assertThat(n).hasToString("Notify[permit stored]");
        assertThat(new Polled<>(n.notified()).ready()).isTrue();
        assertThat(new Polled<>(n.notified()).ready()).as("one permit, not two").isFalse();
    }

    @Test
    void notifyOne_wakesTheLongestWaiting() {
        Notify n = new Notify();
        Polled<Void> first = new Polled<>(n.notified());
        Polled<Void> second = new Polled<>(n.notified());
        assertThat(first.ready()).isFalse();
        assertThat(second.ready()).isFalse();
        n.notifyOne();
        assertThat(first.wakes()).isEqualTo(1);
        assertThat(second.wakes()).isZero();
        assertThat(first.ready()).isTrue();
        assertThat(second.ready()).isFalse();
        assertThatThrownBy(first::poll).isInstanceOf(IllegalStateException.class)
                .hasMessage("a notified() future was polled after it completed");
    }

    @Test
    void notifyWaiters_wakesTheWaitersThatExist_andStoresNothing() {
        Notify n = new Notify();
        Polled<Void> waiting = new Polled<>(n.notified());
        assertThat(waiting.ready()).isFalse();
        Polled<Void> createdNotPolled = new Polled<>(n.notified());
        n.notifyWaiters();
        assertThat(waiting.wakes()).isEqualTo(1);
        assertThat(waiting.ready()).isTrue();
        assertThat(createdNotPolled.ready()).as("created before the call").isTrue();
        assertThat(new Polled<>(n.notified()).ready()).as("no permit stored").isFalse();
    }

    @Test
    void aChosenWaiterDropped_beforeItSawIt_passesTheNotificationOn() {
        Notify n = new Notify();
        Polled<Void> chosen = new Polled<>(n.notified());
        Polled<Void> next = new Polled<>(n.notified());
        assertThat(chosen.ready()).isFalse();
        assertThat(next.ready()).isFalse();
        n.notifyOne();
        chosen.drop();
        assertThat(next.wakes()).isEqualTo(1);
        assertThat(next.ready()).isTrue();

        Polled<Void> alone = new Polled<>(n.notified());
        assertThat(alone.ready()).isFalse();
        n.notifyOne();
        alone.drop(); // nobody to pass it to: stored
        assertThat(new Polled<>(n.notified()).ready()).isTrue();
    }

    @Test
    void aDroppedWaiter_leavesTheQueue() {
        Notify n = new Notify();
        Polled<Void> dropped = new Polled<>(n.notified());
        assertThat(dropped.ready()).isFalse();
        dropped.drop();
        n.notifyOne();
        assertThat(dropped.wakes()).isZero();
        assertThat(n).hasToString("Notify[permit stored]");
    }

    @Test
    void tasksOnARuntime_whoseFuturesWereCreatedBeforeNotifyWaiters_allComplete() {
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(2).build()) {
            Notify n = new Notify();
            // Created here, before the call: each completes whether its task polled it yet or not.
            JoinHandle<String> a = rt.spawn(n.notified().map(v -> "a"));
            JoinHandle<String> b = rt.spawn(n.notified().map(v -> "b"));
            n.notifyWaiters();
            assertThat(a.join() + b.join()).isEqualTo("ab");
        }
    }
}
