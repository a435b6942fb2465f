package dev.weft.net;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.net.driver.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Objects;

/**
 * A UDP socket: datagrams received and sent by tasks. Bound at once, on any thread; registered
 * with the runtime whose task first polls one of its futures. A datagram larger than the buffer
 * given to {@link #receive} is cut to its room (the rest is lost, as with any UDP socket); a
 * send completes once the whole datagram is handed to the system.
 */
public final class UdpSocket extends NetSocket {

    private final DatagramChannel channel;
    private final InetSocketAddress local;

    private UdpSocket(DatagramChannel channel) throws IOException {
        super(channel, "UdpSocket", SelectionKey.OP_READ, SelectionKey.OP_WRITE, null);
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Binds a UDP socket.
     *
     * @param local the address; port 0 for an ephemeral port
     * @return the socket
     * @throws BindException if the address is in use or not available, naming it
     * @throws IOException   if the socket cannot be opened
     */
    public static UdpSocket bind(SocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local");
        return bind(DatagramChannel.open(), "UdpSocket", local,
                channel -> channel.bind(local), UdpSocket::new);
    }

    /**
     * Returns the address the socket is bound to.
     *
     * @return the address
     */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Receives the next datagram into {@code dst}.
     *
     * @param dst the buffer, from its position
     * @return a future of the sender's address
     */
    public Future<SocketAddress> receive(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        return new Wait<UdpSocket, SocketAddress>(this, Registration.READABLE) {
            @Override
            public Poll<SocketAddress> poll(Context cx) {
                return socket.pollReceive(remember(cx), dst);
            }
        };
    }

    /**
     * Receives a datagram now, or registers the context's waker to be woken when one comes.
     *
     * @param cx  the polling task's context
     * @param dst the buffer, from its position
     * @return ready with the sender's address, or pending
     * @throws UncheckedIOException if the receive fails, or the socket is closed
     */
    public Poll<SocketAddress> pollReceive(Context cx, ByteBuffer dst) {
        Registration r = registration("UdpSocket.receive");
        while (true) {
            long observed = r.pollReady(Registration.READABLE, cx.waker());
            if (observed == Registration.NOT_READY) {
                return Poll.pending();
            }
            SocketAddress sender;
            try {
                sender = channel.receive(dst);
            } catch (IOException e) {
                throw failure(e);
            }
            if (sender != null) {
                return Poll.ready(sender);
            }
            r.clearReadiness(Registration.READABLE, observed);
        }
    }

    /**
     * Sends {@code src} as one datagram to {@code target}.
     *
     * @param src    the datagram, from its position to its limit
     * @param target the address to send to
     * @return a future of the bytes sent: all of {@code src}
     */
    public Future<Integer> send(ByteBuffer src, SocketAddress target) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(target, "target");
        return new Wait<UdpSocket, Integer>(this, Registration.WRITABLE) {
            @Override
            public Poll<Integer> poll(Context cx) {
                return socket.pollSend(remember(cx), src, target);
            }
        };
    }

    /**
     * Sends a datagram now, or registers the context's waker to be woken when the socket can.
     *
     * @param cx     the polling task's context
     * @param src    the datagram, from its position to its limit
     * @param target the address to send to
     * @return ready with the bytes sent, or pending
     * @throws UncheckedIOException if the send fails, or the socket is closed
     */
    public Poll<Integer> pollSend(Context cx, ByteBuffer src, SocketAddress target) {
        Registration r = registration("UdpSocket.send");
        int size = src.remaining();
        while (true) {
            long observed = r.pollReady(Registration.WRITABLE, cx.waker());
            if (observed == Registration.NOT_READY) {
                return Poll.pending();
            }
            int n;
            try {
                n = channel.send(src, target);
            } catch (IOException e) {
                throw failure(e);
            }
            if (n != 0 || size == 0) {
                return ReadyCounts.of(n);
            }
            r.clearReadiness(Registration.WRITABLE, observed);
        }
    }

    @Override
    public String toString() {
        return "UdpSocket[" + local + (state.closed ? ", closed" : "") + "]";
    }
}
