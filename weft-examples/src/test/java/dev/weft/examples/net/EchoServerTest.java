package dev.weft.examples.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.net.TcpListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EchoServerTest {

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 4096, 100_000})
    void echoesEveryMessageBack(int size) throws IOException {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
                EchoServer server = EchoServer.bind(loopback())) {
            runtime.spawn(server.serve());
            AtomicLong timed = new AtomicLong();
            long echoed = runtime.blockOn(EchoClient.roundTrips(server.address(), size, 20,
                    nanos -> timed.incrementAndGet()));

            assertThat(echoed).isEqualTo(20L * size);
            assertThat(timed.get()).isEqualTo(20);
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.bytesReceived()).isEqualTo(20L * size);
        }
    }

    @Test
    void servesManyClientsAtOnce() throws IOException {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
                EchoServer server = EchoServer.bind(loopback())) {
            runtime.spawn(server.serve());
            List<Future<Long>> clients = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                clients.add(runtime.spawn(
                        EchoClient.roundTrips(server.address(), 100, 10, nanos -> { })));
            }
            List<Long> echoed = runtime.blockOn(Async.joinAll(clients));

            assertThat(echoed).hasSize(300).containsOnly(1_000L);
            assertThat(server.connections()).isEqualTo(300);
        }
    }

    @Test
    void aClientThatResetsIsCounted_andTheServerGoesOn() throws IOException {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
                EchoServer server = EchoServer.bind(loopback())) {
            runtime.spawn(server.serve());
            try (Socket client = new Socket()) {
                client.connect(server.address());
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                out.write('x');
                assertThat(in.read()).isEqualTo('x');
                client.setSoLinger(true, 0);
            }
            while (server.connectionsFailed() == 0) {
                Thread.onSpinWait(); // bounded by the default test timeout
            }

            long echoed = runtime.blockOn(
                    EchoClient.roundTrips(server.address(), 10, 3, nanos -> { }));
            assertThat(echoed).isEqualTo(30);
            assertThat(server.connectionsFailed()).isEqualTo(1);
        }
    }

    @Test
    void aServerThatClosesEarly_failsTheClientNamingTheRound() throws IOException {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
                TcpListener listener = TcpListener.bind(loopback())) {
            // The server ends its side at once, and leaves its socket open (the runtime's
            // shutdown closes it): the client reads the end, never a reset.
            runtime.spawn(listener.accept().map(stream -> {
                stream.shutdownOutput();
                return null;
            }));

            assertThatThrownBy(() -> runtime.blockOn(
                    EchoClient.roundTrips(listener.localAddress(), 10, 3, nanos -> { })))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("after 0 of 3 round trips");
        }
    }

    @Test
    void badArgumentsAreNamed() {
        InetSocketAddress address = loopback();
        assertThatThrownBy(() -> EchoClient.roundTrips(address, 0, 1, nanos -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messageBytes").hasMessageContaining("0");
        assertThatThrownBy(() -> EchoClient.roundTrips(address, 1, -2, nanos -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rounds").hasMessageContaining("-2");
    }
}
