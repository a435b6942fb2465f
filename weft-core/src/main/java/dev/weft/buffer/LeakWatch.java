package dev.weft.buffer;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/**
 * The watch on one acquired {@link PooledBuffer}: enqueued by the collector once the buffer is
 * unreachable, unless its release cleared the watch first. It holds the acquiring site and the
 * size, never the buffer, so a leaked buffer's memory is freed by the collector as usual.
 */
final class LeakWatch extends PhantomReference<PooledBuffer> {

    /** The stack trace of the acquisition. */
    final Throwable acquiredAt;
    final int capacity;

    LeakWatch(PooledBuffer buffer, ReferenceQueue<PooledBuffer> queue, int capacity) {
        super(buffer, queue);
        this.capacity = capacity;
        this.acquiredAt = new Throwable("a " + capacity + "-byte pooled buffer was acquired here");
    }
}
