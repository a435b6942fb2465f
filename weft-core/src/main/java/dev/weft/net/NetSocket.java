package dev.weft.net;

import dev.weft.Context;
import dev.weft.Waker;
import dev.weft.net.driver.IoDriver;
import dev.weft.net.driver.Registration;
import dev.weft.runtime.ThreadContext;
import dev.weft.task.Droppable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;

/**
 * What the sockets of this package share: a non-blocking channel, registered with the I/O driver
 * of the runtime whose task first polls one of its futures; closing; and the report of a socket
 * the garbage collector found unclosed.
 *
 * <h2>Threads</h2>
 * The registration is made once, under this object's lock, by the first poll; after that it is
 * read without the lock (volatile). Closing may come from any thread at any time: a poll that
 * comes after it finds the channel closed.
 */
abstract class NetSocket implements dev.weft.AsyncCloseable {

    private static final System.Logger LOGGER = System.getLogger(NetSocket.class.getName());
    private static final Cleaner CLEANER = Cleaner.create();

    /** The channel and its registration, apart from the socket so that a cleaner may close them. */
    static final class State implements Runnable {
        final SelectableChannel channel;
        final String kind;
        volatile Registration registration;
        volatile boolean closed;

        State(SelectableChannel channel, String kind) {
            this.channel = channel;
            this.kind = kind;
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            Registration r;
            synchronized (this) {
                r = registration;
            }
            if (r != null) {
                r.close(); // closes the channel, and wakes the tasks waiting on it
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOGGER.log(System.Logger.Level.WARNING, "closing " + channel + " failed", e);
            }
        }

        /** The socket became unreachable: a leak, unless it was closed. Reported once. */
        @Override
        public void run() {
            if (!closed) {
                LOGGER.log(System.Logger.Level.WARNING, "a " + kind + " (" + channel
                        + ") was garbage-collected without being closed; closed now. Close sockets"
                        + " when done with them, or register them with the runtime");
                close();
            }
        }
    }

    final State state;
    private final int readOp;
    private final int writeOp;

    NetSocket(SelectableChannel channel, String kind, int readOp, int writeOp,
            Registration registered) {
        this.state = new State(channel, kind);
        this.readOp = readOp;
        this.writeOp = writeOp;
        state.registration = registered;
        CLEANER.register(this, state);
    }

    /**
     * The channel's registration, made on the first poll with the driver of the polling thread's
     * runtime.
     *
     * @param what names the operation, for the message if the thread runs no runtime
     * @return the registration
     * @throws IllegalStateException  if the calling thread runs no Weft runtime
     * @throws UncheckedIOException   if the runtime can register no channel (it is shut down)
     */
    final Registration registration(String what) {
        Registration r = state.registration;
        if (r != null) {
            return r;
        }
        return register(driverOf(what));
    }

    private Registration register(IoDriver io) {
        synchronized (state) {
            Registration r = state.registration;
            if (r == null) {
                if (state.closed) {
                    throw new UncheckedIOException(new ClosedChannelException());
                }
                try {
                    r = io.register(state.channel, readOp, writeOp);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                state.registration = r;
            }
            return r;
        }
    }

    /**
     * The I/O driver of the runtime the calling thread runs.
     *
     * @param what names the operation, for the message
     * @return the driver
     * @throws IllegalStateException if the thread runs no Weft runtime
     */
    static IoDriver driverOf(String what) {
        ThreadContext cx = ThreadContext.current();
        if (cx == null) {
            throw new IllegalStateException(what + " was polled on thread '"
                    + Thread.currentThread().getName()
                    + "', which runs no Weft runtime: a socket's futures are polled by a task,"
                    + " or by the future given to blockOn");
        }
        return cx.io();
    }

    /**
     * An I/O failure, as the futures of this package report it: unchecked, with the JDK's
     * exception as the cause; a reset or broken connection as a {@link SocketException}.
     *
     * @param failure the exception of the system call
     * @return the exception to throw
     */
    static UncheckedIOException failure(IOException failure) {
        if (failure instanceof SocketException || failure instanceof ClosedChannelException) {
            return new UncheckedIOException(failure);
        }
        String message = String.valueOf(failure.getMessage());
        if (message.contains("reset") || message.contains("Broken pipe")
                || message.contains("aborted")) {
            SocketException reset = new SocketException("the connection was reset: " + message);
            reset.initCause(failure);
            return new UncheckedIOException(reset);
        }
        return new UncheckedIOException(failure);
    }

    /** Throws if the socket was closed. */
    final void ensureOpen() {
        if (state.closed) {
            throw new UncheckedIOException(new ClosedChannelException());
        }
    }

    /**
     * Closes the socket: the futures waiting on it fail with a {@link ClosedChannelException}
     * (inside an {@link UncheckedIOException}), and so do later ones. Idempotent; any thread.
     */
    @Override
    public final void close() {
        state.close();
    }

    @Override
    public final dev.weft.Future<Void> closeAsync() {
        return (Context cx) -> {
            close();
            return dev.weft.Poll.ready(null);
        };
    }

    /** One step of binding a socket, on its channel. */
    @FunctionalInterface
    interface ChannelStep<C, R> {
        R apply(C channel) throws IOException;
    }

    /**
     * Binds a new channel and makes the socket over it; on any failure closes the channel, and
     * names the address in a {@link BindException}.
     *
     * @param channel the channel, just opened
     * @param kind    the socket's class, for the message
     * @param local   the address, for the message
     * @param bind    binds the channel to {@code local}
     * @param make    makes the socket over the bound, non-blocking channel
     * @return the socket
     * @throws BindException if the address is in use or not available, naming it
     * @throws IOException   if the channel fails otherwise
     */
    static <C extends SelectableChannel, S> S bind(C channel, String kind, SocketAddress local,
            ChannelStep<C, ?> bind, ChannelStep<C, S> make) throws IOException {
        try {
            bind.apply(channel);
            channel.configureBlocking(false);
            return make.apply(channel);
        } catch (BindException e) {
            channel.close();
            BindException named = new BindException("cannot bind a " + kind + " to " + local
                    + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A future that waits on its socket's readiness in one direction: it remembers the waker it
     * left, to forget it when dropped (by a timeout, as a select's loser, with an aborted task),
     * so that the readiness wakes nobody who no longer waits.
     *
     * @param <S> the socket
     * @param <T> the result
     */
    abstract static class Wait<S extends NetSocket, T> implements dev.weft.Future<T>, Droppable {
        final S socket;
        private final int direction;
        private Waker left;

        Wait(S socket, int direction) {
            this.socket = socket;
            this.direction = direction;
        }

        /** Notes the waker this poll leaves; returns the context, to pass on. */
        final Context remember(Context cx) {
            left = cx.waker();
            return cx;
        }

        @Override
        public void drop() {
            Registration r = socket.state.registration;
            if (r != null && left != null) {
                r.forget(direction, left);
            }
        }
    }
}
