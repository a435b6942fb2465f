package dev.weft.examples.net;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP echo server: every connection is a task that writes back each byte it reads, until the
 * peer ends its side of the connection.
 *
 * <pre>{@code
 * try (AsyncRuntime runtime = AsyncRuntime.builder().build();
 *      EchoServer server = EchoServer.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *     runtime.spawn(server.serve());
 *     // connect to server.address()
 * }
 * }</pre>
 */
public final class EchoServer extends TcpServer {

    /** Each connection's buffer: pooled and direct, so the JDK reads into it without a copy. */
    static final int BUFFER_BYTES = 16 * 1024;

    private final LongAdder bytes = new LongAdder();
    private final LongAdder failed = new LongAdder();

    private EchoServer(TcpListener listener) {
        super(listener);
    }

    /**
     * Binds the server's listening socket.
     *
     * @param address where to listen; port 0 for an ephemeral port
     * @return the server, not yet accepting: spawn {@link #serve()}
     * @throws IOException if the address cannot be bound
     */
    public static EchoServer bind(SocketAddress address) throws IOException {
        return new EchoServer(TcpListener.bind(address, 1024));
    }

    @Override
    protected Future<Void> connection(TcpStream stream) {
        return buffers().withBuffer(BUFFER_BYTES,
                buffer -> new Connection(stream, buffer.buffer(), bytes, failed));
    }

    /**
     * Returns how many bytes the server has received to echo. A byte is counted when it is read,
     * before its echo is written, so a client that has its echo back finds it counted.
     *
     * @return bytes received so far
     */
    public long bytesReceived() {
        return bytes.sum();
    }

    /**
     * Returns how many connections ended in an I/O error (a reset by the peer, say) rather than
     * with the peer ending its side.
     *
     * @return connections that failed so far
     */
    public long connectionsFailed() {
        return failed.sum();
    }

    /**
     * Serves one connection: reads into its buffer, writes it all back, reads again. At most one
     * buffer of data is in the server at a time, so a peer that does not read stalls only itself.
     */
    private static final class Connection implements Future<Void> {
        private final TcpStream stream;
        private final LongAdder bytes;
        private final LongAdder failed;
        private final ByteBuffer buffer;
        private boolean writing;

        Connection(TcpStream stream, ByteBuffer buffer, LongAdder bytes, LongAdder failed) {
            this.stream = stream;
            this.buffer = buffer;
            this.bytes = bytes;
            this.failed = failed;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                return echo(cx);
            } catch (UncheckedIOException e) {
                // The peer reset or vanished: this connection is over, the server is not; the
                // failure is counted, for connectionsFailed().
                failed.increment();
                stream.close();
                return Poll.ready(null);
            }
        }

        private Poll<Void> echo(Context cx) {
            while (true) {
                if (writing) {
                    while (buffer.hasRemaining()) {
                        if (!stream.pollWrite(cx, buffer).isReady()) {
                            return Poll.pending();
                        }
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
                bytes.add(read.value());
                buffer.flip();
                writing = true;
            }
        }
    }

    /**
     * Runs an echo server until the process is stopped.
     *
     * @param args the port, 7007 if none
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7007;
        try (AsyncRuntime runtime = AsyncRuntime.builder().threadNamePrefix("echo-").build();
                EchoServer server = bind(new InetSocketAddress(port))) {
            System.out.println("echo server on " + server.address() + "; Ctrl-C stops it");
            runtime.blockOn(server.serve());
        }
    }
}
