package dev.weft.buffer;

import dev.weft.Future;
import dev.weft.task.Scoped;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;

/**
 * A buffer acquired from a {@link BufferPool}, until {@link #release()} gives it back. Each
 * acquisition is its own {@code PooledBuffer}, so a release, or a {@link #buffer()} call, through
 * one that was already released fails instead of reaching a buffer that someone else holds now.
 *
 * <p>{@link #buffer()} is reset when acquired (position 0, limit its capacity, big-endian), not
 * zeroed: it holds what its previous holder wrote. Its capacity is the size class's, at least
 * what was asked for. Do not keep the
 * {@link ByteBuffer} past the release: the pool hands it to the next acquirer.
 *
 * <p>{@link #release()} may be called from any thread, once.
 */
public final class PooledBuffer implements AutoCloseable {

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(PooledBuffer.class, "released",
                    boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BufferPool pool;
    private final ByteBuffer buffer;
    /** The fine size class, or {@link BufferPool#UNPOOLED} for a buffer above the largest. */
    private final int sizeClass;
    /**
     * Set once, by the first release's CAS; a second fails. Volatile so that {@link #buffer()} on
     * another thread sees a release made before it by whatever handed the handle over; the
     * buffer itself goes back to the pool after the CAS, so no later holder's use can precede it.
     */
    private volatile boolean released;
    /** The leak watch, if this buffer is watched; set before the acquirer gets it. */
    LeakWatch watch;

    PooledBuffer(BufferPool pool, ByteBuffer buffer, int sizeClass) {
        this.pool = pool;
        this.buffer = buffer;
        this.sizeClass = sizeClass;
    }

    /**
     * The buffer.
     *
     * @return the buffer, reset (not zeroed) when acquired
     * @throws IllegalStateException if this buffer was released
     */
    public ByteBuffer buffer() {
        if (released) {
            throw new IllegalStateException(this + " was used after its release");
        }
        return buffer;
    }

    /**
     * The buffer's capacity: its size class's, at least what was asked for.
     *
     * @return the capacity in bytes
     */
    public int capacity() {
        return buffer.capacity();
    }

    /**
     * Gives the buffer back to its pool.
     *
     * @throws IllegalStateException if it was already released
     */
    public void release() {
        if (!RELEASED.compareAndSet(this, false, true)) {
            throw new IllegalStateException(this + " was released twice");
        }
        giveBack();
    }

    /**
     * Runs {@code body}'s future with this buffer, and releases it when that future completes,
     * fails, or is dropped (its task aborted, a {@code select} it lost, a timeout that expired),
     * by a combinator even before its first poll: for a buffer acquired already, such as one
     * {@code TcpStream.readBuffer()} returned, what {@link BufferPool#withBuffer} is for a buffer
     * yet to acquire. The body may release the buffer itself; it is then not released again.
     * Give it to a task that runs already ({@code readBuffer().then(in -> in.use(...))}): a
     * task's future that was never polled is not dropped when the task is aborted (a
     * {@code shutdownNow} hands such futures back to be run elsewhere), so a buffer in one is
     * left to the collector, and to leak detection.
     *
     * @param body the work, given this buffer
     * @param <R>  the body's result
     * @return a future of the body's result
     * @throws NullPointerException if {@code body} is null
     */
    public <R> Future<R> use(Function<? super PooledBuffer, ? extends Future<R>> body) {
        Objects.requireNonNull(body, "body");
        return Scoped.holding(this, body, PooledBuffer::releaseIfHeld);
    }

    /** Releases the buffer unless that was done already: for {@code withBuffer}'s end. */
    void releaseIfHeld() {
        if (RELEASED.compareAndSet(this, false, true)) {
            giveBack();
        }
    }

    private void giveBack() {
        LeakWatch w = watch;
        if (w != null) {
            pool.unwatch(w);
            // this handle must stay reachable until its watch is cleared: otherwise a collection
            // in between may enqueue the watch, and the buffer be reported leaked after its release
            Reference.reachabilityFence(this);
        }
        pool.release(buffer, sizeClass);
    }

    /** Releases the buffer: {@link #release()}, for try-with-resources. */
    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return "PooledBuffer[" + buffer.capacity() + " bytes, "
                + (buffer.isDirect() ? "direct" : "heap") + ", " + Integer.toHexString(
                        System.identityHashCode(this)) + (released ? ", released]" : "]");
    }
}
