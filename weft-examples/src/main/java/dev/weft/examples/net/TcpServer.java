package dev.weft.examples.net;

import dev.weft.Async;
import dev.weft.Future;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the example servers share: a listening socket, and an accept loop that serves each
 * connection in a task of its own ({@code TCP_NODELAY} on), made by {@link #connection}.
 */
public abstract class TcpServer implements AutoCloseable {

    private final TcpListener listener;
    private final LongAdder connections = new LongAdder();

    /**
     * Wraps a bound listener.
     *
     * @param listener the listening socket, which {@link #close()} closes
     */
    protected TcpServer(TcpListener listener) {
        this.listener = listener;
    }

    /**
     * Returns the future that serves one accepted connection, and closes it when done.
     *
     * @param stream the connection
     * @return the connection's task
     */
    protected abstract Future<Void> connection(TcpStream stream);

    /**
     * Returns the address the server listens on.
     *
     * @return the address, with the port chosen
     */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /**
     * Returns a future that accepts connections until the server is closed, spawning a task for
     * each. Spawn it on the runtime that is to serve the connections.
     *
     * @return the accept loop; it fails with the accept's error, or when the server is closed
     */
    public Future<Void> serve() {
        return listener.accept().then(stream -> {
            connections.increment();
            stream.noDelay(true);
            Async.spawn(connection(stream));
            return serve();
        });
    }

    /**
     * Returns how many connections the server has accepted.
     *
     * @return connections accepted so far
     */
    public long connections() {
        return connections.sum();
    }

    /** Closes the listening socket; the accept loop fails, connections already open go on. */
    @Override
    public void close() {
        listener.close();
    }
}
