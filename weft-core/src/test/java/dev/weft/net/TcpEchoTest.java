package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.RuntimeKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Echo over loopback, on both runtimes: the basic round trip, and many connections at once. */
class TcpEchoTest {

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Serves one connection: echoes every byte until the peer ends its side, then closes. */
    static Future<Void> echo(TcpStream stream) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        return new Future<>() {
            private boolean writing;

            @Override
            public Poll<Void> poll(dev.weft.Context cx) {
                while (true) {
                    if (writing) {
                        if (!stream.pollWrite(cx, buffer).isReady()) {
                            return Poll.pending();
                        }
                        if (buffer.hasRemaining()) {
                            continue;
                        }
                        buffer.clear();
                        writing = false;
                    }
                    Poll<Integer> read = stream.pollRead(cx, buffer);
                    if (!read.isReady()) {
                        return Poll.pending();
                    }
                    if (read.value() < 0) {
                        stream.close();
                        return Poll.ready(null);
                    }
                    buffer.flip();
                    writing = true;
                }
            }
        };
    }

    /** Accepts {@code connections} connections, each served by a task of its own. */
    static Future<Void> server(TcpListener listener, int connections) {
        return new Future<>() {
            private int accepted;

            @Override
            public Poll<Void> poll(dev.weft.Context cx) {
                while (accepted < connections) {
                    Poll<TcpStream> p = listener.pollAccept(cx);
                    if (!p.isReady()) {
                        return Poll.pending();
                    }
                    accepted++;
                    Async.spawn(echo(p.value()));
                }
                return Poll.ready(null);
            }
        };
    }

    /** Connects, sends {@code message} {@code rounds} times, reads each echo back. */
    static Future<Integer> client(InetSocketAddress server, String message, int rounds) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return TcpStream.connect(server).then(stream -> Async.spawn(new Future<Integer>() {
            private int round;
            private final ByteBuffer out = ByteBuffer.wrap(bytes);
            private final ByteBuffer in = ByteBuffer.allocate(bytes.length);
            private boolean sending = true;

            @Override
            public Poll<Integer> poll(dev.weft.Context cx) {
                while (round < rounds) {
                    if (sending) {
                        while (out.hasRemaining()) {
                            if (!stream.pollWrite(cx, out).isReady()) {
                                return Poll.pending();
                            }
                        }
                        sending = false;
                    }
                    while (in.hasRemaining()) {
                        Poll<Integer> p = stream.pollRead(cx, in);
                        if (!p.isReady()) {
                            return Poll.pending();
                        }
                        if (p.value() < 0) {
                            throw new AssertionError("the echo ended early");
                        }
                    }
                    if (!new String(in.array(), StandardCharsets.UTF_8).equals(message)) {
                        throw new AssertionError("echoed " + new String(in.array(),
                                StandardCharsets.UTF_8));
                    }
                    in.clear();
                    out.rewind();
                    sending = true;
                    round++;
                }
                stream.close();
                return Poll.ready(round);
            }
        }));
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void echo_roundTrips(RuntimeKind kind) throws IOException {
        try (AsyncRuntime runtime = kind.build();
                TcpListener listener = TcpListener.bind(loopback())) {
            JoinHandle<Void> server = runtime.spawn(server(listener, 1));
            int rounds = runtime.blockOn(client(listener.localAddress(), "hello, weft", 100)
                    .timeout(Duration.ofSeconds(20)));
            assertThat(rounds).isEqualTo(100);
            runtime.blockOn(server);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aThousandConcurrentConnections_allEchoed(RuntimeKind kind) throws IOException {
        int n = 1000;
        try (AsyncRuntime runtime = kind.build();
                TcpListener listener = TcpListener.bind(loopback(), n)) {
            runtime.spawn(server(listener, n));
            List<Future<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(client(listener.localAddress(), "connection " + i, 3));
            }
            List<Integer> rounds = runtime.blockOn(Async.joinAll(clients)
                    .timeout(Duration.ofSeconds(25)));
            assertThat(rounds).hasSize(n).containsOnly(3);
        }
    }
}
