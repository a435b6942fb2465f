package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Poll;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * The one race every waiting future of this package has: a first poll that finds nothing and goes
 * to wait, against the producer that makes something ready at the same moment. Model-checked with
 * {@code Lincheck.runConcurrentTest} over every interleaving it explores: after both, the poll
 * either completed or its task was woken. Checked against the twin that makes its wait after
 * looking instead of before (the poll, not woken, waits for nothing).
 */
class WaitRaceTest {

    private static final int INTERLEAVINGS = 300;

    /** A poll that waits, on one thread, against a producer on another. */
    private static <S, T> void race(S subject, Function<S, Future<T>> waiting,
            Consumer<S> producer) {
        Future<T> future = waiting.apply(subject);
        TaskStandIn task = new TaskStandIn() { };
        boolean[] completed = new boolean[1];
        Thread poller = new Thread(() -> {
            task.polling();
            Poll<T> p = future.poll(task);
            completed[0] = p.isReady();
        });
        Thread produce = new Thread(() -> producer.accept(subject));
        poller.start();
        produce.start();
        try {
            poller.join();
            produce.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (!completed[0] && !task.woken()) {
            throw new IllegalStateException("lost wakeup: ready, yet the poll neither completed "
                    + "nor was its task woken");
        }
    }

    @Test
    void watchChanged_racingASet() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Watch<Integer> watch = new Watch<>(0);
            Watch.Receiver<Integer> receiver = watch.subscribe();
            race(watch, w -> receiver.changed(), w -> w.set(1));
        });
    }

    @Test
    void broadcastReceive_racingASend() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Broadcast<Integer> broadcast = new Broadcast<>(2);
            Broadcast.Receiver<Integer> receiver = broadcast.subscribe();
            race(broadcast, b -> receiver.receive(), b -> b.send(1));
        });
    }

    @Test
    void broadcastReceive_racingAClose() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Broadcast<Integer> broadcast = new Broadcast<>(2);
            Broadcast.Receiver<Integer> receiver = broadcast.subscribe();
            race(broadcast, b -> receiver.receive(), Broadcast::close);
        });
    }

    @Test
    void notified_racingANotifyOne() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Notify notify = new Notify();
            race(notify, Notify::notified, Notify::notifyOne);
        });
    }

    @Test
    void channelReceive_racingASend() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Channel<Integer> channel = Channel.bounded(1);
            race(channel, Channel::receive, c -> c.trySend(1));
        });
    }

    @Test
    void acquire_racingARelease() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Semaphore semaphore = new Semaphore(0);
            race(semaphore, Semaphore::acquire, s -> s.release(1));
        });
    }

    @Test
    void oneshotReceive_racingASend() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Oneshot<Integer> oneshot = new Oneshot<>();
            race(oneshot, Oneshot::receive, o -> o.send(1));
        });
    }
}
