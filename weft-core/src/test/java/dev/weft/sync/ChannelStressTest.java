package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.DeadlineExceededException;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.RuntimeKind;
import dev.weft.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every message sent is received exactly once, on both runtimes and for each kind of channel:
 * four producers send numbered messages (some sends bounded by a timeout, which then does not
 * send), four consumers receive (some receives bounded by a timeout too), while a foreign thread
 * moves a manual clock and aborts a producer and two consumers at random. A send that completed
 * recorded its message in the poll that saw it complete, a receive likewise; the one gap is the
 * message of a producer aborted while its send waited, taken just before the abort (sent, though
 * no poll saw it). Once every producer ended the channel is closed; the consumers left drain it
 * until their receive completes with null.
 */
class ChannelStressTest {

    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 4;
    private static final int MESSAGES = 1_500;

    @ParameterizedTest
    @CsvSource({"MULTI_THREAD, 1", "MULTI_THREAD, 16", "MULTI_THREAD, 0", "MULTI_THREAD, -1",
            "CURRENT_THREAD, 1", "CURRENT_THREAD, 0", "CURRENT_THREAD, -1"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyMessageSent_isReceivedOnce(RuntimeKind kind, int capacity) {
        ManualClock clock = new ManualClock();
        AsyncRuntime rt = kind == RuntimeKind.MULTI_THREAD
                ? AsyncRuntime.builder().workerThreads(2).clock(clock).build()
                : AsyncRuntime.currentThread().clock(clock).build();
        Channel<Long> channel = capacity > 0 ? Channel.bounded(capacity)
                : capacity == 0 ? Channel.rendezvous() : Channel.unbounded();
        Set<Long> sent = ConcurrentHashMap.newKeySet();
        Set<Long> received = ConcurrentHashMap.newKeySet();
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicInteger timeouts = new AtomicInteger();
        List<JoinHandle<Void>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(rt.spawn(Async.ready(null)
                    .then(v -> produce(channel, producer, 0, sent, timeouts))));
        }
        List<JoinHandle<Void>> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            int consumer = c;
            consumers.add(rt.spawn(Async.ready(null).then(
                    v -> consume(channel, consumer, 0, received, timeouts, violation))));
        }
        AtomicBoolean done = new AtomicBoolean();
        Thread meddler = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(capacity + 7);
            boolean producerAborted = false;
            int consumersAborted = 0;
            while (!done.get()) {
                int dice = random.nextInt(256);
                if (dice == 0 && !producerAborted) {
                    producers.get(random.nextInt(PRODUCERS)).abort();
                    producerAborted = true;
                } else if (dice == 1 && consumersAborted < 2) {
                    consumers.get(1 + consumersAborted).abort(); // consumer 0 always drains
                    consumersAborted++;
                }
                clock.advance(Duration.ofMillis(1)); // expires the timeouts armed by now
                Thread.onSpinWait();
            }
        }, "meddler");
        meddler.start();
        try {
            rt.blockOn(Async.joinAll(producers.stream().map(h -> h.recover(f -> null)).toList())
                    .then(v -> {
                        channel.close();
                        return Async.joinAll(consumers.stream()
                                .map(h -> h.recover(f -> null)).toList());
                    }));
        } finally {
            done.set(true);
        }
        try {
            meddler.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        rt.shutdown(Duration.ZERO);

        assertThat(violation.get()).isNull();
        Set<Long> lost = new java.util.TreeSet<>(sent);
        lost.removeAll(received);
        Set<Long> unsent = new java.util.TreeSet<>(received);
        unsent.removeAll(sent);
        assertThat(lost).as("sent, never received").isEmpty();
        // A producer aborted while its send waited may have had that message taken just before
        // the abort: sent, as the channel says, though no poll of the producer saw it complete.
        int[] unrecorded = new int[PRODUCERS];
        for (long message : unsent) {
            int producer = (int) (message / MESSAGES);
            assertThat(producers.get(producer).toCompletableFuture().isCompletedExceptionally())
                    .as("message %d received, never sent, from a producer not aborted", message)
                    .isTrue();
            assertThat(++unrecorded[producer]).as("in flight when aborted: one at most")
                    .isEqualTo(1);
        }
        assertThat(sent.size()).isGreaterThan(PRODUCERS * MESSAGES / 2);
        assertThat(channel.size()).isZero();
        assertThat(consumers.get(0).isDone() && !consumers.get(0).toCompletableFuture()
                .isCompletedExceptionally()).as("the consumer never aborted drained it").isTrue();
    }

    /** Sends message {@code seq} of {@code producer}, every fifth bounded by a timeout. */
    private static Future<Void> produce(Channel<Long> channel, int producer, int seq,
            Set<Long> sent, AtomicInteger timeouts) {
        if (seq == MESSAGES) {
            return Async.ready(null);
        }
        long message = (long) producer * MESSAGES + seq;
        Future<Boolean> send = channel.send(message).map(v -> {
            sent.add(message); // in the poll that saw the send complete
            return true;
        });
        if (seq % 5 == 0) {
            send = send.timeout(Duration.ofMillis(1)).recover(failure -> {
                if (!(failure instanceof DeadlineExceededException)) {
                    throw new AssertionError(failure);
                }
                timeouts.incrementAndGet();
                return false;
            });
        }
        return send.then(v -> produce(channel, producer, seq + 1, sent, timeouts));
    }

    /** Receives until the channel is closed and drained, every seventh receive with a timeout. */
    private static Future<Void> consume(Channel<Long> channel, int consumer, int n,
            Set<Long> received, AtomicInteger timeouts, AtomicReference<String> violation) {
        Future<Long> receive = channel.receive();
        if (n % 7 == 3) {
            receive = receive.timeout(Duration.ofMillis(1)).recover(failure -> {
                if (!(failure instanceof DeadlineExceededException)) {
                    throw new AssertionError(failure);
                }
                timeouts.incrementAndGet();
                return -1L;
            });
        }
        return receive.then(message -> {
            if (message == null) {
                return Async.ready(null); // closed and drained
            }
            if (message >= 0 && !received.add(message)) {
                violation.set("message " + message + " received twice");
            }
            return consume(channel, consumer, n + 1, received, timeouts, violation);
        });
    }
}
