package dev.weft.examples.net;

import dev.weft.Async;
import dev.weft.Future;
import dev.weft.buffer.BufferPool;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the example servers share: a listening socket, an accept loop that serves each
 * connection in a task of its own ({@code TCP_NODELAY} on), made by {@link #connection}, and a
 * pool of direct buffers the connections take theirs from ({@link BufferPool#withBuffer}, so a
 * connection's buffer goes back when it ends or its task is aborted).
 */
public abstract class TcpServer implements AutoCloseable {

    private final TcpListener listener;
    private final LongAdder connections = new LongAdder();
    private final BufferPool buffers = BufferPool.create();

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
     * Returns the pool the connections take their buffers from; {@link #close()} closes it.
     *
     * @return the pool
     */
    protected BufferPool buffers() {
        return buffers;
    }

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

    /**
     * Closes the listening socket, and the buffer pool; the accept loop fails, connections
     * already open go on, and their buffers go to the collector when they end.
     */
    @Override
    public void close() {
        listener.close();
        buffers.close();
    }
}
