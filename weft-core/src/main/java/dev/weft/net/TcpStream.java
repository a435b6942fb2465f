package dev.weft.net;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.buffer.BufferPool;
import dev.weft.buffer.PooledBuffer;
import dev.weft.net.driver.IoDriver;
import dev.weft.net.driver.Registration;
import dev.weft.runtime.ThreadContext;
import dev.weft.task.Droppable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A TCP connection, read and written by tasks: a read or write that cannot proceed returns
 * pending and costs nothing until the socket is ready (no thread blocks, nothing polls). Made by
 * {@link #connect(SocketAddress)} or {@link TcpListener#accept()}.
 *
 * <pre>{@code
 * TcpStream stream = runtime.blockOn(TcpStream.connect(new InetSocketAddress("localhost", 7)));
 * runtime.blockOn(stream.writeAll(ByteBuffer.wrap("hello".getBytes(UTF_8))));
 * ByteBuffer reply = ByteBuffer.allocate(5);
 * runtime.blockOn(stream.readExact(reply));
 * stream.close();
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link #read} completes with 1 or more bytes, -1 at the end of the stream, 0 only if the
 *       buffer has no room; {@link #write} with 1 or more bytes, 0 only if the buffer is empty.
 *       Nothing is buffered inside the runtime: a writer whose peer reads slowly waits (its future
 *       stays pending) until the socket can take more.</li>
 *   <li>One reader and one writer at a time: a second task reading while one waits takes its
 *       place (the first is then woken only spuriously).</li>
 *   <li>Errors fail the future with an {@link UncheckedIOException} whose cause is the JDK's:
 *       {@link java.net.SocketException} for a reset connection,
 *       {@link java.nio.channels.ClosedChannelException} once closed, {@link EOFException} for
 *       {@link #readExact} cut short.</li>
 *   <li>A future dropped unfinished (its task ended, it lost a {@code select}, its timeout
 *       expired) gives up its wait at once.</li>
 *   <li>The stream is registered with the runtime whose task first polls it (an accepted one,
 *       with its listener's), which closes it at shutdown. A stream the garbage collector finds
 *       unclosed is closed, and reported once through {@code System.Logger}.</li>
 * </ul>
 */
public final class TcpStream extends NetSocket {

    /** The first guess of {@link #readBuffer()}, and its bounds. */
    static final int FIRST_READ = 2048;
    static final int MIN_READ = 64;
    static final int MAX_READ = 64 * 1024;

    private final SocketChannel channel;
    /**
     * The capacity {@link #readBuffer()} asks the pool for next, and how many reads in a row used
     * less than a quarter of theirs; the one reader's (one at a time: see the class comment).
     */
    private int readGuess = FIRST_READ;
    private int smallReads;

    private TcpStream(SocketChannel channel, Registration registration) {
        super(channel, "TcpStream", SelectionKey.OP_READ, SelectionKey.OP_WRITE, registration);
        this.channel = channel;
    }

    /** An accepted connection, registered with the listener's driver. */
    static TcpStream accepted(SocketChannel channel, IoDriver io) throws IOException {
        channel.configureBlocking(false);
        return new TcpStream(channel, io.register(channel, SelectionKey.OP_READ,
                SelectionKey.OP_WRITE));
    }

    /**
     * Connects to {@code remote}: a future of the connected stream, registered with the runtime of
     * the task that polls it. A refused connection fails it with a
     * {@link java.net.ConnectException}; bound it with {@code .timeout(...)} if the peer may not
     * answer. Dropped unfinished, it closes the socket it opened.
     *
     * @param remote the address to connect to
     * @return the future
     */
    public static Future<TcpStream> connect(SocketAddress remote) {
        return new Connect(Objects.requireNonNull(remote, "remote"));
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads into {@code dst}: 1 or more bytes, -1 at the end of the stream, 0 only if {@code dst}
     * has no room.
     *
     * @param dst the buffer, read into from its position
     * @return a future of the count
     */
    public Future<Integer> read(ByteBuffer dst) {
        return new Read(this, Objects.requireNonNull(dst, "dst"));
    }

    /**
     * Reads into {@code dst} once, or registers the context's waker to be woken when the stream
     * is readable: the allocation-free form of {@link #read}, for hand-written futures and codecs.
     *
     * @param cx  the polling task's context
     * @param dst the buffer, read into from its position
     * @return ready with the count (as {@link #read}), or pending
     * @throws UncheckedIOException if the read fails
     */
    public Poll<Integer> pollRead(Context cx, ByteBuffer dst) {
        return pollTransfer(Objects.requireNonNull(cx, "cx"), Objects.requireNonNull(dst, "dst"),
                Registration.READABLE, "TcpStream.read");
    }

    /**
     * Reads what the socket has into a buffer of the polling task's runtime's pool
     * ({@link dev.weft.AsyncRuntime#buffers()}), acquired only once the socket is readable: a
     * connection waiting for its peer holds no buffer, however many there are. The buffer comes
     * back ready to read (position 0, limit the bytes read, at least 1); release it when done.
     * Its size adapts to the stream, as Netty's adaptive receive allocator does: 2 KiB at first,
     * twice as much after a read that filled its buffer, half after two reads in a row that used
     * less than a quarter of theirs, between 64 bytes and 64 KiB.
     *
     * <pre>{@code
     * Future<Boolean> echoOnce = stream.readBuffer().then(in -> in == null ? Async.ready(false)
     *         : in.use(b -> stream.writeAll(b.buffer())).map(written -> true)); // released after
     * }</pre>
     *
     * <p>Each read takes a {@link PooledBuffer} handle (a small object) from the pool: for
     * connections that are idle most of the time. A busy connection that reads into a buffer of
     * its own with {@link #read} or {@link #pollRead} allocates nothing per read.
     *
     * @return a future of the buffer, or of null at the end of the stream
     */
    public Future<PooledBuffer> readBuffer() {
        return new ReadBuffer(this);
    }

    /**
     * Reads into a buffer of the runtime's pool once, or registers the context's waker to be woken
     * when the stream is readable: the form of {@link #readBuffer()} for hand-written futures.
     *
     * @param cx the polling task's context
     * @return ready with the buffer (as {@link #readBuffer()}), or with null at the end of the
     *         stream; or pending
     * @throws UncheckedIOException if the read fails
     */
    public Poll<PooledBuffer> pollReadBuffer(Context cx) {
        Objects.requireNonNull(cx, "cx");
        BufferPool pool = poolOf("TcpStream.readBuffer");
        Registration r = registration("TcpStream.readBuffer");
        while (true) {
            long observed = r.pollReady(Registration.READABLE, cx.waker());
            if (observed == Registration.NOT_READY) {
                return Poll.pending();
            }
            PooledBuffer pooled = pool.acquire(readGuess);
            ByteBuffer buffer = pooled.buffer();
            int room = buffer.remaining();
            int n;
            boolean read = false;
            try {
                n = transferOnce(r, observed, buffer, Registration.READABLE);
                read = true;
            } finally {
                if (!read) {
                    pooled.release();
                }
            }
            if (n <= 0) {
                pooled.release();
                if (n < 0) {
                    return Poll.ready(null);
                }
                continue;
            }
            adaptReadGuess(n, room);
            buffer.flip();
            return Poll.ready(pooled);
        }
    }

    private void adaptReadGuess(int n, int room) {
        if (n == room) {
            readGuess = Math.min(MAX_READ, room * 2);
            smallReads = 0;
        } else if (n < room / 4 && ++smallReads == 2) {
            readGuess = Math.max(MIN_READ, room / 2);
            smallReads = 0;
        } else if (n >= room / 4) {
            smallReads = 0;
        }
    }

    /** The buffer pool of the runtime the calling thread runs: the polling task's. */
    private static BufferPool poolOf(String what) {
        ThreadContext cx = ThreadContext.current();
        if (cx == null) {
            throw new IllegalStateException(what + " was polled on thread '"
                    + Thread.currentThread().getName() + "', which runs no Weft runtime");
        }
        return cx.runtime().buffers();
    }

    /**
     * Reads until {@code dst} is full: fails with an {@link EOFException} (inside an
     * {@link UncheckedIOException}) if the stream ends first.
     *
     * @param dst the buffer, filled from its position to its limit
     * @return a future of nothing
     */
    public Future<Void> readExact(ByteBuffer dst) {
        return new ReadExact(this, Objects.requireNonNull(dst, "dst"));
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes from {@code src}: 1 or more bytes, 0 only if {@code src} is empty. Pending while
     * the socket cannot take any: nothing is buffered inside the runtime.
     *
     * @param src the bytes, from its position
     * @return a future of the count
     */
    public Future<Integer> write(ByteBuffer src) {
        return new Write(this, Objects.requireNonNull(src, "src"));
    }

    /**
     * Writes from {@code src} once, or registers the context's waker to be woken when the stream
     * is writable: the allocation-free form of {@link #write}.
     *
     * @param cx  the polling task's context
     * @param src the bytes, from its position
     * @return ready with the count (as {@link #write}), or pending
     * @throws UncheckedIOException if the write fails
     */
    public Poll<Integer> pollWrite(Context cx, ByteBuffer src) {
        return pollTransfer(Objects.requireNonNull(cx, "cx"), Objects.requireNonNull(src, "src"),
                Registration.WRITABLE, "TcpStream.write");
    }

    /**
     * A read ({@code READABLE}) or a write ({@code WRITABLE}) once the selector says the socket
     * is ready; the readiness protocol of {@link Registration}: a call that would block clears
     * the readiness it was made on, and waits for the next.
     */
    private Poll<Integer> pollTransfer(Context cx, ByteBuffer buffer, int direction, String what) {
        if (!buffer.hasRemaining()) {
            return ReadyCounts.of(0);
        }
        Registration r = registration(what);
        while (true) {
            long observed = r.pollReady(direction, cx.waker());
            if (observed == Registration.NOT_READY) {
                return Poll.pending();
            }
            int n = transferOnce(r, observed, buffer, direction);
            if (n != 0) {
                return ReadyCounts.of(n);
            }
        }
    }

    /**
     * One read or write on a socket the selector said was ready ({@code observed}): the count,
     * -1 at the end of the stream. Nothing moved means the call would block; a short transfer
     * drained the receive buffer or filled the send buffer, so the next call would block: either
     * way the readiness is forgotten now, saving that call (Tokio does the same). What comes later
     * is reported by the selector, whose interest stays armed.
     */
    private int transferOnce(Registration r, long observed, ByteBuffer buffer, int direction) {
        int room = buffer.remaining();
        int n;
        try {
            n = direction == Registration.READABLE ? channel.read(buffer) : channel.write(buffer);
        } catch (IOException e) {
            throw failure(e);
        }
        if (n >= 0 && n < room) {
            r.clearReadiness(direction, observed);
        }
        return n;
    }

    /**
     * Writes all of {@code src}.
     *
     * @param src the bytes, from its position to its limit
     * @return a future of nothing
     */
    public Future<Void> writeAll(ByteBuffer src) {
        return new WriteAll(this, Objects.requireNonNull(src, "src"));
    }

    // ---------------------------------------------------------------- the connection

    /**
     * Half-closes the stream: the peer reads the end of the stream, and this side can still
     * read what the peer sends.
     *
     * @throws UncheckedIOException if the socket is closed or the call fails
     */
    public void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * Switches Nagle's algorithm off ({@code TCP_NODELAY}) or on.
     *
     * @param on true to send small writes at once
     * @return this stream
     * @throws UncheckedIOException if the socket is closed or the option cannot be set
     */
    public TcpStream noDelay(boolean on) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, on);
        } catch (IOException e) {
            throw failure(e);
        }
        return this;
    }

    /**
     * Returns the local address.
     *
     * @return the address this end is bound to
     * @throws UncheckedIOException if the socket is closed
     */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * Returns the peer's address.
     *
     * @return the address of the other end
     * @throws UncheckedIOException if the socket is closed
     */
    public InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public String toString() {
        return "TcpStream[" + channel + "]";
    }

    // ---------------------------------------------------------------- the futures

    private static final class Read extends Wait<TcpStream, Integer> {
        private final ByteBuffer dst;

        Read(TcpStream stream, ByteBuffer dst) {
            super(stream, Registration.READABLE);
            this.dst = dst;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            return socket.pollRead(remember(cx), dst);
        }
    }

    private static final class ReadBuffer extends Wait<TcpStream, PooledBuffer> {
        ReadBuffer(TcpStream stream) {
            super(stream, Registration.READABLE);
        }

        @Override
        public Poll<PooledBuffer> poll(Context cx) {
            return socket.pollReadBuffer(remember(cx));
        }
    }

    private static final class ReadExact extends Wait<TcpStream, Void> {
        private final ByteBuffer dst;

        ReadExact(TcpStream stream, ByteBuffer dst) {
            super(stream, Registration.READABLE);
            this.dst = dst;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (dst.hasRemaining()) {
                Poll<Integer> p = socket.pollRead(remember(cx), dst);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                if (p.value() < 0) {
                    throw new UncheckedIOException(new EOFException(
                            "the stream ended with " + dst.remaining() + " bytes still to read"));
                }
            }
            return Poll.ready(null);
        }
    }

    private static final class Write extends Wait<TcpStream, Integer> {
        private final ByteBuffer src;

        Write(TcpStream stream, ByteBuffer src) {
            super(stream, Registration.WRITABLE);
            this.src = src;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            return socket.pollWrite(remember(cx), src);
        }
    }

    private static final class WriteAll extends Wait<TcpStream, Void> {
        private final ByteBuffer src;

        WriteAll(TcpStream stream, ByteBuffer src) {
            super(stream, Registration.WRITABLE);
            this.src = src;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (src.hasRemaining()) {
                if (!socket.pollWrite(remember(cx), src).isReady()) {
                    return Poll.pending();
                }
            }
            return Poll.ready(null);
        }
    }

    /** {@link #connect}: opens the socket on its first poll, on the polling runtime. */
    private static final class Connect implements Future<TcpStream>, Droppable {
        private final SocketAddress remote;
        private TcpStream stream;
        private Registration registration;
        private Waker left;
        private boolean done;

        Connect(SocketAddress remote) {
            this.remote = remote;
        }

        @Override
        public Poll<TcpStream> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("a 'connect' future was polled after it completed");
            }
            try {
                if (stream == null && start()) {
                    return finish();
                }
                left = cx.waker();
                while (true) {
                    long observed = registration.pollReady(Registration.WRITABLE, left);
                    if (observed == Registration.NOT_READY) {
                        return Poll.pending();
                    }
                    if (stream.channel.finishConnect()) {
                        return finish();
                    }
                    registration.clearReadiness(Registration.WRITABLE, observed);
                }
            } catch (IOException e) {
                fail();
                throw failure(e);
            } catch (RuntimeException e) {
                fail();
                throw e;
            }
        }

        /** Opens and registers the socket, and starts connecting: true if connected at once. */
        private boolean start() throws IOException {
            IoDriver io = driverOf("TcpStream.connect");
            SocketChannel channel = SocketChannel.open();
            try {
                channel.configureBlocking(false);
                registration = io.register(channel, SelectionKey.OP_READ, SelectionKey.OP_CONNECT);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            stream = new TcpStream(channel, registration);
            return channel.connect(remote);
        }

        private Poll<TcpStream> finish() {
            done = true;
            registration.connected(SelectionKey.OP_WRITE);
            return Poll.ready(stream);
        }

        private void fail() {
            done = true;
            if (stream != null) {
                stream.close();
            }
        }

        /** Dropped before it connected: the half-open socket goes. */
        @Override
        public void drop() {
            if (!done && stream != null) {
                done = true;
                stream.close();
            }
        }
    }
}
