package dev.weft.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.HdrHistogram.Histogram;

/**
 * The echo benchmark's load generator, one for every peer: a single thread and a plain JDK
 * selector driving {@code connections} connections, each with one message in flight (closed
 * loop): send the message, read its echo whole, record the round trip, send it again.
 *
 * <p>Not thread-safe: one thread makes it and runs it.
 */
final class EchoLoad implements AutoCloseable {

    private final Selector selector;
    private final Connection[] connections;
    private final Histogram roundTrips = new Histogram(3_600_000_000_000L, 3);
    private boolean recording;
    private long completed;
    private IOException failure;

    EchoLoad(InetSocketAddress server, int connections, int messageBytes) throws IOException {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be 1 or more: " + connections);
        }
        if (messageBytes < 1) {
            throw new IllegalArgumentException("messageBytes must be 1 or more: " + messageBytes);
        }
        this.selector = Selector.open();
        this.connections = new Connection[connections];
        try {
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = SocketChannel.open(server);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                Connection c = new Connection(channel, messageBytes, (byte) i);
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                this.connections[i] = c;
            }
            for (Connection c : this.connections) {
                c.send();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Whether round trips are recorded in {@link #roundTrips()} (off while warming up). */
    void recording(boolean on) {
        recording = on;
    }

    /** The round-trip times recorded, in nanoseconds. */
    Histogram roundTrips() {
        return roundTrips;
    }

    /**
     * Runs until {@code count} more round trips complete; the messages then in flight stay in
     * flight for the next call.
     *
     * @throws UncheckedIOException if a connection fails, or an echo differs from its message
     */
    void run(long count) {
        long goal = completed + count;
        try {
            while (completed < goal) {
                selector.select(this::ready);
                if (failure != null) {
                    throw failure;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ready(SelectionKey key) {
        if (failure != null) {
            return;
        }
        try {
            Connection c = (Connection) key.attachment();
            if (key.isWritable()) {
                c.send();
            }
            if (key.isReadable() && c.receive()) {
                long rtt = System.nanoTime() - c.sentAt;
                if (recording) {
                    roundTrips.recordValue(rtt);
                }
                completed++;
                c.send();
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    @Override
    public void close() throws IOException {
        for (Connection c : connections) {
            if (c != null) {
                c.channel.close();
            }
        }
        selector.close();
    }

    /** One connection's buffers and state. */
    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer out;
        final ByteBuffer in;
        SelectionKey key;
        long sentAt;

        Connection(SocketChannel channel, int messageBytes, byte fill) {
            this.channel = channel;
            this.out = ByteBuffer.allocateDirect(messageBytes);
            this.in = ByteBuffer.allocateDirect(messageBytes);
            for (int i = 0; i < messageBytes; i++) {
                out.put(i, (byte) (fill + i));
            }
            out.position(messageBytes);
        }

        /** Sends the message, or the rest of it; asks for write readiness if the socket is full. */
        void send() throws IOException {
            if (!out.hasRemaining()) {
                out.clear();
                sentAt = System.nanoTime();
            }
            channel.write(out);
            key.interestOps(out.hasRemaining()
                    ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Reads what has come; true once the whole echo is in, checked against the message. */
        boolean receive() throws IOException {
            if (channel.read(in) < 0) {
                throw new IOException("the server closed a connection");
            }
            if (in.hasRemaining()) {
                return false;
            }
            in.flip();
            if (in.get(0) != out.get(0) || in.get(in.limit() - 1) != out.get(out.limit() - 1)) {
                throw new IOException("an echo differs from its message");
            }
            in.clear();
            return true;
        }
    }
}
