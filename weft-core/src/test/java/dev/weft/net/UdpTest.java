package dev.weft.net;

import static dev.weft.net.TcpEchoTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.RuntimeKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** UDP on loopback, on both runtimes: round trips, 1,000 datagrams counted, closing, binding. */
class UdpTest {

    /** Echoes {@code n} datagrams back to their senders. */
    private static Future<Integer> echo(UdpSocket socket, int n) {
        ByteBuffer buffer = ByteBuffer.allocate(1500);
        return new Future<>() {
            private int echoed;
            private SocketAddress sender;

            @Override
            public Poll<Integer> poll(Context cx) {
                while (echoed < n) {
                    if (sender == null) {
                        Poll<SocketAddress> p = socket.pollReceive(cx, buffer);
                        if (!p.isReady()) {
                            return Poll.pending();
                        }
                        sender = p.value();
                        buffer.flip();
                    }
                    if (!socket.pollSend(cx, buffer, sender).isReady()) {
                        return Poll.pending();
                    }
                    sender = null;
                    buffer.clear();
                    echoed++;
                }
                return Poll.ready(echoed);
            }
        };
    }

    /** Sends {@code n} numbered datagrams one at a time, each after the echo of the one before. */
    private static Future<Integer> pinger(UdpSocket socket, SocketAddress server, int n) {
        ByteBuffer out = ByteBuffer.allocate(4);
        ByteBuffer in = ByteBuffer.allocate(16);
        return new Future<>() {
            private int acknowledged;
            private boolean sent;

            @Override
            public Poll<Integer> poll(Context cx) {
                while (acknowledged < n) {
                    if (!sent) {
                        out.clear();
                        out.putInt(acknowledged).flip();
                        if (!socket.pollSend(cx, out, server).isReady()) {
                            return Poll.pending();
                        }
                        sent = true;
                    }
                    in.clear();
                    if (!socket.pollReceive(cx, in).isReady()) {
                        return Poll.pending();
                    }
                    in.flip();
                    if (in.remaining() != 4 || in.getInt() != acknowledged) {
                        throw new AssertionError("datagram " + acknowledged + " echoed wrong");
                    }
                    acknowledged++;
                    sent = false;
                }
                return Poll.ready(acknowledged);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aThousandDatagrams_areEchoedAndCounted(RuntimeKind kind) throws IOException {
        try (AsyncRuntime runtime = kind.build(); UdpSocket server = UdpSocket.bind(loopback());
                UdpSocket client = UdpSocket.bind(loopback())) {
            JoinHandle<Integer> echoed = runtime.spawn(echo(server, 1000));
            int acknowledged = runtime.blockOn(pinger(client, server.localAddress(), 1000)
                    .timeout(Duration.ofSeconds(20)));
            assertThat(acknowledged).isEqualTo(1000);
            assertThat(runtime.blockOn(echoed)).isEqualTo(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aPendingReceive_failsWhenTheSocketCloses(RuntimeKind kind) throws IOException {
        UdpSocket socket = UdpSocket.bind(loopback());
        try (AsyncRuntime runtime = kind.build()) {
            JoinHandle<SocketAddress> pending =
                    runtime.spawn(socket.receive(ByteBuffer.allocate(8)));
            if (kind == RuntimeKind.CURRENT_THREAD) {
                runtime.runUntilStalled();
            }
            socket.close();
            assertThatThrownBy(() -> runtime.blockOn(pending))
                    .isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOf(ClosedChannelException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void anAddressInUse_isABindExceptionNamingIt(RuntimeKind kind) throws IOException {
        try (UdpSocket first = UdpSocket.bind(loopback())) {
            assertThatThrownBy(() -> UdpSocket.bind(first.localAddress()))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining(first.localAddress().toString());
        }
    }
}
