package dev.weft.examples.net;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.net.TcpStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * An echo client: connects, sends a message, reads the echo back and checks it, as many times as
 * asked, one round trip at a time.
 *
 * <pre>{@code
 * long echoed = runtime.blockOn(EchoClient.roundTrips(server.address(), 64, 1_000, rtt -> { }));
 * }</pre>
 */
public final class EchoClient {

    private EchoClient() {
    }

    /**
     * Returns a future that connects to {@code server} and makes {@code rounds} round trips of a
     * message of {@code messageBytes} bytes, then closes the connection.
     *
     * @param server       the echo server
     * @param messageBytes the size of each message, 1 or more
     * @param rounds       how many round trips, 0 or more
     * @param roundTripNanos called with each round trip's time, from the first byte sent to the
     *                     last byte read, on the polling thread
     * @return a future of the bytes echoed back; it fails with {@link IllegalStateException} if
     *     an echo differs from what was sent or the server closes early, and with the
     *     connection's {@link java.io.UncheckedIOException} if it fails
     * @throws IllegalArgumentException if {@code messageBytes} is less than 1 or {@code rounds}
     *     negative
     */
    public static Future<Long> roundTrips(SocketAddress server, int messageBytes, int rounds,
            LongConsumer roundTripNanos) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(roundTripNanos, "roundTripNanos");
        if (messageBytes < 1) {
            throw new IllegalArgumentException("messageBytes must be 1 or more: " + messageBytes);
        }
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be 0 or more: " + rounds);
        }
        return TcpStream.connect(server)
                .then(stream -> new Session(stream.noDelay(true), messageBytes, rounds,
                        roundTripNanos));
    }

    /** The round trips of one connection, as a state machine: send all, then read all back. */
    private static final class Session implements Future<Long> {
        private final TcpStream stream;
        private final ByteBuffer out;
        private final ByteBuffer in;
        private final int rounds;
        private final LongConsumer roundTripNanos;
        private int round;
        private boolean sending = true;
        private long sentAt;

        Session(TcpStream stream, int messageBytes, int rounds, LongConsumer roundTripNanos) {
            this.stream = stream;
            this.rounds = rounds;
            this.roundTripNanos = roundTripNanos;
            this.out = ByteBuffer.allocateDirect(messageBytes);
            this.in = ByteBuffer.allocateDirect(messageBytes);
            for (int i = 0; i < messageBytes; i++) {
                out.put(i, (byte) ('a' + i % 26));
            }
        }

        @Override
        public Poll<Long> poll(Context cx) {
            try {
                return exchange(cx);
            } catch (RuntimeException | Error e) {
                stream.close();
                throw e;
            }
        }

        private Poll<Long> exchange(Context cx) {
            while (round < rounds) {
                if (sending) {
                    if (out.position() == 0) {
                        sentAt = System.nanoTime();
                    }
                    while (out.hasRemaining()) {
                        if (!stream.pollWrite(cx, out).isReady()) {
                            return Poll.pending();
                        }
                    }
                    sending = false;
                }
                while (in.hasRemaining()) {
                    Poll<Integer> read = stream.pollRead(cx, in);
                    if (!read.isReady()) {
                        return Poll.pending();
                    }
                    if (read.value() < 0) {
                        throw new IllegalStateException("the server closed the connection after "
                                + round + " of " + rounds + " round trips");
                    }
                }
                roundTripNanos.accept(System.nanoTime() - sentAt);
                in.flip();
                out.clear();
                if (!in.equals(out)) {
                    throw new IllegalStateException("round trip " + round
                            + ": the echo differs from the message sent");
                }
                in.clear();
                sending = true;
                round++;
            }
            stream.close();
            return Poll.ready((long) rounds * out.capacity());
        }
    }
}
