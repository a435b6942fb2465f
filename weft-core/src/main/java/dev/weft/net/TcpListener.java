package dev.weft.net;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.net.driver.IoDriver;
import dev.weft.net.driver.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A TCP server socket: bound at once, on any thread, and accepting connections for tasks.
 *
 * <pre>{@code
 * try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *     runtime.blockOn(cx -> { ... });            // a task awaits listener.accept() in a loop
 * }
 * }</pre>
 *
 * <p>The listener registers with the runtime whose task first polls {@link #accept()}; the
 * connections it accepts register there too. {@link #close()} fails a pending accept with a
 * {@link java.nio.channels.ClosedChannelException} (inside an {@link UncheckedIOException}). When
 * the process runs out of file descriptors, an accept fails with the JDK's {@code IOException}
 * ("Too many open files") and the listener stays usable: the next accept succeeds once
 * descriptors are free again.
 */
public final class TcpListener extends NetSocket {

    private final ServerSocketChannel channel;
    private final InetSocketAddress local;

    private TcpListener(ServerSocketChannel channel) throws IOException {
        super(channel, "TcpListener", SelectionKey.OP_ACCEPT, 0, null);
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Binds a listener with the system's default backlog.
     *
     * @param local the address; port 0 for an ephemeral port
     * @return the listener
     * @throws BindException if the address is in use or not available, naming it
     * @throws IOException   if the socket cannot be opened
     */
    public static TcpListener bind(SocketAddress local) throws IOException {
        return bind(local, 0);
    }

    /**
     * Binds a listener.
     *
     * @param local   the address; port 0 for an ephemeral port
     * @param backlog the most pending connections the system queues; 0 or less for its default
     * @return the listener
     * @throws BindException if the address is in use or not available, naming it
     * @throws IOException   if the socket cannot be opened
     */
    public static TcpListener bind(SocketAddress local, int backlog) throws IOException {
        Objects.requireNonNull(local, "local");
        return bind(ServerSocketChannel.open(), "TcpListener", local,
                channel -> channel.bind(local, backlog), TcpListener::new);
    }

    /**
     * Returns the address the listener is bound to (with the port chosen, for port 0).
     *
     * @return the address
     */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Accepts the next connection.
     *
     * @return a future of the connected stream
     */
    public Future<TcpStream> accept() {
        return new Accept(this);
    }

    /**
     * Accepts a connection now, or registers the context's waker to be woken when one comes.
     *
     * @param cx the polling task's context
     * @return ready with the stream, or pending
     * @throws UncheckedIOException if the accept fails, or the listener is closed
     */
    public Poll<TcpStream> pollAccept(Context cx) {
        Registration r = registration("TcpListener.accept");
        while (true) {
            long observed = r.pollReady(Registration.READABLE, cx.waker());
            if (observed == Registration.NOT_READY) {
                return Poll.pending();
            }
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (IOException e) {
                throw failure(e);
            }
            if (accepted != null) {
                try {
                    return Poll.ready(TcpStream.accepted(accepted, driver()));
                } catch (IOException e) {
                    closeQuietly(accepted);
                    throw failure(e);
                }
            }
            r.clearReadiness(Registration.READABLE, observed);
        }
    }

    /** The driver this listener is registered with: its connections register there too. */
    private IoDriver driver() {
        return driverOf("TcpListener.accept");
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a socket that could not be registered: nothing more to do with it
        }
    }

    @Override
    public String toString() {
        return "TcpListener[" + local + (state.closed ? ", closed" : "") + "]";
    }

    /** {@link #accept()}'s future. */
    private static final class Accept extends Wait<TcpListener, TcpStream> {
        Accept(TcpListener listener) {
            super(listener, Registration.READABLE);
        }

        @Override
        public Poll<TcpStream> poll(Context cx) {
            return socket.pollAccept(remember(cx));
        }
    }
}
