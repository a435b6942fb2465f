package dev.weft.net;

import static dev.weft.net.TcpEchoTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.DeadlineExceededException;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.RuntimeKind;
import dev.weft.RuntimeState;
import dev.weft.time.ManualClock;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a user of TcpStream and TcpListener meets besides the happy path, on both runtimes:
 * half-close, a reset, a refused connection, a port in use, a connect bounded by a timeout,
 * closed sockets, and shutdown.
 */
class TcpBehaviourTest {

    /** Waits, bounded, for a condition another thread makes true. */
    static void awaitUntil(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String ascii(ByteBuffer b) {
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }

    /** A connected pair: a Weft stream, and the accepted end as a plain blocking JDK socket. */
    private record Pair(TcpStream stream, Socket peer) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
            peer.close();
        }
    }

    private static Pair connectToPlainServer(AsyncRuntime runtime) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, loopback().getAddress())) {
            TcpStream stream = runtime.blockOn(TcpStream.connect(server.getLocalSocketAddress()));
            return new Pair(stream, server.accept());
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void halfClose_thePeerReadsTheEnd_andCanStillAnswer(RuntimeKind kind) throws IOException {
        try (AsyncRuntime runtime = kind.build(); Pair pair = connectToPlainServer(runtime)) {
            runtime.blockOn(pair.stream().writeAll(ascii("question")));
            pair.stream().shutdownOutput();
            InputStream in = pair.peer().getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                    .as("everything, then the end of the stream").isEqualTo("question");
            OutputStream out = pair.peer().getOutputStream();
            out.write("answer".getBytes(StandardCharsets.US_ASCII));
            pair.peer().shutdownOutput();
            ByteBuffer answer = ByteBuffer.allocate(6);
            runtime.blockOn(pair.stream().readExact(answer));
            assertThat(ascii(answer)).isEqualTo("answer");
            assertThat(runtime.blockOn(pair.stream().read(ByteBuffer.allocate(1)))).isEqualTo(-1);
        }
    }

    /**
     * Every worker parked before the runtime had a socket, so on its thread, not on the selector;
     * then a blockOn from outside reads all there is (a short read: readiness cleared) and waits
     * for the end of the stream. Arming the interest with nobody selecting must wake a worker to
     * select, or the read waits forever.
     */
    @Test
    void aReadFromOutside_afterEveryWorkerParkedWithoutASelector_isServed() throws IOException {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            awaitUntil("both workers parked", () -> runtime.metrics()
                    .total(dev.weft.RuntimeMetrics.WorkerMetrics::parks) >= 2);
            try (Pair pair = connectToPlainServer(runtime)) {
                pair.peer().getOutputStream().write(new byte[] {1, 2, 3});
                pair.peer().shutdownOutput();
                ByteBuffer buffer = ByteBuffer.allocate(10);
                int first = runtime.blockOn(pair.stream().read(buffer));
                int rest = first == 3 ? 0 : runtime.blockOn(pair.stream().read(buffer));
                assertThat(first + rest).isEqualTo(3);
                assertThat(runtime.blockOn(pair.stream().read(buffer))).isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void readExact_cutShort_failsWithEof(RuntimeKind kind) throws IOException {
        try (AsyncRuntime runtime = kind.build(); Pair pair = connectToPlainServer(runtime)) {
            pair.peer().getOutputStream().write(new byte[] {1, 2, 3});
            pair.peer().shutdownOutput();
            assertThatThrownBy(() -> runtime.blockOn(pair.stream()
                    .readExact(ByteBuffer.allocate(10))))
                    .isInstanceOf(UncheckedIOException.class).cause()
                            .isInstanceOf(EOFException.class)
                    .hasMessageContaining("7 bytes still to read");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aReset_failsAPendingRead_andALaterWrite_withSocketException(RuntimeKind kind)
            throws IOException {
        try (AsyncRuntime runtime = kind.build(); Pair pair = connectToPlainServer(runtime)) {
            JoinHandle<Integer> pending = runtime.spawn(pair.stream()
                    .read(ByteBuffer.allocate(16)));
            runtime.spawn(Async.yieldNow()); // lets a current-thread runtime's owner poll the read
            pair.peer().setSoLinger(true, 0);
            pair.peer().close(); // RST, not FIN
            assertThatThrownBy(() -> runtime.blockOn(pending))
                    .isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOf(SocketException.class);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) { // the first write after a reset may still be taken
                    runtime.blockOn(pair.stream().writeAll(ByteBuffer.allocate(64 * 1024)));
                }
            }).isInstanceOf(UncheckedIOException.class).cause().isInstanceOf(SocketException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aRefusedConnection_failsWithConnectException(RuntimeKind kind) throws IOException {
        InetSocketAddress nobody;
        try (ServerSocket closedAgain = new ServerSocket(0, 1, loopback().getAddress())) {
            nobody = (InetSocketAddress) closedAgain.getLocalSocketAddress();
        }
        try (AsyncRuntime runtime = kind.build()) {
            assertThatThrownBy(() -> runtime.blockOn(TcpStream.connect(nobody)))
                    .isInstanceOf(UncheckedIOException.class).cause()
                            .isInstanceOf(ConnectException.class);
            assertThat(runtime.metrics().io().sockets()).as("the failed socket is closed").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aPortInUse_isABindExceptionNamingTheAddress(RuntimeKind kind) throws IOException {
        try (TcpListener first = TcpListener.bind(loopback())) {
            InetSocketAddress taken = first.localAddress();
            assertThatThrownBy(() -> TcpListener.bind(taken)).isInstanceOf(BindException.class)
                    .hasMessageContaining(taken.toString());
            assertThatThrownBy(() -> TcpListener.bind(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("local");
        }
    }

    /**
     * A connect to a listener whose backlog is full stays unanswered (the kernel drops the SYN),
     * so only the timeout ends it; on an auto-advancing manual clock that takes no real time.
     */
    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aConnectNobodyAnswers_isEndedByItsTimeout(RuntimeKind kind) throws IOException {
        ManualClock clock = new ManualClock(Instant.EPOCH).autoAdvance(true);
        AsyncRuntime.Builder builder = kind == RuntimeKind.MULTI_THREAD
                ? AsyncRuntime.builder().workerThreads(2) : AsyncRuntime.currentThread();
        try (AsyncRuntime runtime = builder.clock(clock).build();
                TcpListener full = TcpListener.bind(loopback(), 1)) {
            List<Socket> queued = new ArrayList<>();
            try {
                // Fill the accept queue with connections nobody accepts.
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    queued.add(s);
                    try {
                        s.connect(full.localAddress(), 200);
                    } catch (IOException timedOut) {
                        break; // the queue is full: SYNs are dropped from now on
                    }
                }
                assertThatThrownBy(() -> runtime.blockOn(
                        TcpStream.connect(full.localAddress()).timeout(Duration.ofSeconds(30))))
                        .isInstanceOf(DeadlineExceededException.class);
                assertThat(runtime.metrics().io().sockets())
                        .as("the dropped connect's socket is closed")
                        .isZero();
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void closedSockets_failReadsWritesAndAccepts_withClosedChannelException(RuntimeKind kind)
            throws IOException {
        try (AsyncRuntime runtime = kind.build(); Pair pair = connectToPlainServer(runtime)) {
            pair.stream().close();
            pair.stream().close(); // idempotent
            assertThatThrownBy(() -> runtime.blockOn(pair.stream().read(ByteBuffer.allocate(4))))
                    .isInstanceOf(UncheckedIOException.class).cause()
                            .isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> runtime.blockOn(pair.stream().write(ascii("x"))))
                    .isInstanceOf(UncheckedIOException.class).cause()
                            .isInstanceOf(ClosedChannelException.class);
        }
        TcpListener listener = TcpListener.bind(loopback());
        try (AsyncRuntime runtime = kind.build()) {
            listener.close();
            assertThatThrownBy(() -> runtime.blockOn(listener.accept()))
                    .isInstanceOf(UncheckedIOException.class).cause()
                            .isInstanceOf(ClosedChannelException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void closing_failsAPendingReadAndAPendingAccept(RuntimeKind kind) throws IOException {
        TcpListener listener = TcpListener.bind(loopback());
        try (AsyncRuntime runtime = kind.build(); Pair pair = connectToPlainServer(runtime)) {
            JoinHandle<Integer> read = runtime.spawn(pair.stream().read(ByteBuffer.allocate(4)));
            JoinHandle<TcpStream> accept = runtime.spawn(listener.accept());
            runtime.blockOn(Async.yieldNow()); // both wait now
            pair.stream().close();
            listener.close();
            assertThatThrownBy(() -> runtime.blockOn(read)).isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> runtime.blockOn(accept))
                    .isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOf(ClosedChannelException.class);
        }
    }

    /**
     * A read that loses a select is dropped and forgets its waker at once: data that arrives later
     * wakes nobody. On the current-thread runtime, whose one thread runs the tasks it wakes before
     * {@code runUntilStalled} returns, so that a wrong wake would be seen.
     */
    @Test
    void aReadThatLostASelect_isForgotten_soItsDataWakesNobody() throws IOException {
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build();
                Pair pair = connectToPlainServer(runtime);
                Pair other = connectToPlainServer(runtime)) {
            AtomicInteger polls = new AtomicInteger();
            Future<Void> waitingForNothing = cx -> {
                polls.incrementAndGet();
                return Poll.pending();
            };
            runtime.spawn(Async.select(pair.stream().read(ByteBuffer.allocate(8)),
                    Async.yieldNow()).then(yieldWon -> waitingForNothing));
            runtime.runUntilStalled();
            assertThat(polls).as("the select is over; its task waits for nothing").hasValue(1);
            pair.peer().getOutputStream().write(ascii("late").array());
            // Written after the first: once this read is done, a select has seen both sockets.
            other.peer().getOutputStream().write(ascii("marker").array());
            runtime.blockOn(other.stream().read(ByteBuffer.allocate(8)));
            runtime.runUntilStalled();
            assertThat(polls).as("the dropped read's data woke its old task").hasValue(1);
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void shutdown_closesEverySocketStillRegistered(RuntimeKind kind) throws IOException {
        AsyncRuntime runtime = kind.build();
        Pair pair = connectToPlainServer(runtime);
        try (TcpListener listener = TcpListener.bind(loopback())) {
            JoinHandle<TcpStream> waiting = runtime.spawn(listener.accept());
            if (kind == RuntimeKind.CURRENT_THREAD) {
                runtime.runUntilStalled(); // its only thread is this one
            }
            awaitUntil("the accept to register the listener", () -> runtime.metrics().io()
                    .sockets() == 2);
            runtime.shutdown(Duration.ZERO);
            assertThat(runtime.state()).isEqualTo(RuntimeState.TERMINATED);
            assertThat(waiting.isDone()).isTrue();
            assertThatThrownBy(() -> pair.stream().localAddress()).as("the stream was closed")
                    .isInstanceOf(UncheckedIOException.class);
            assertThat(pair.peer().getInputStream().read()).as("the peer sees the end")
                    .isEqualTo(-1);
        } finally {
            pair.close();
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aSocketPolledOutsideAnyRuntime_isRefused(RuntimeKind kind) throws IOException {
        try (TcpListener listener = TcpListener.bind(loopback())) {
            assertThatThrownBy(() -> listener.accept().poll(() -> () -> { }))
                    .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("runs no Weft runtime");
        }
    }
}
