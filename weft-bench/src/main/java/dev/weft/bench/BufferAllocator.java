package dev.weft.bench;

import dev.weft.buffer.BufferPool;
import dev.weft.buffer.PooledBuffer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/** The direct-buffer allocators the buffer benchmarks compare, behind one interface. */
interface BufferAllocator extends AutoCloseable {

    /** A direct buffer of at least {@code size} bytes. */
    Object acquire(int size);

    /** Gives back what {@link #acquire} returned. */
    void release(Object buffer);

    /** The direct memory the allocator holds now, in use or kept for reuse. */
    long heldBytes();

    @Override
    default void close() {
    }

    /**
     * The allocator a benchmark's {@code impl} parameter names: {@code weft} (a
     * {@link BufferPool#create()}, as a user gets it), {@code nettyPooled}
     * ({@link PooledByteBufAllocator#DEFAULT}), {@code nettyAdaptive} (a direct
     * {@link AdaptiveByteBufAllocator}), {@code allocateDirect} (nothing kept: every buffer is
     * left to the collector), or {@code none}, a baseline that is no allocator: it hands out one
     * buffer made ahead, again and again, and does nothing on release, so that a benchmark run
     * with it ({@code -p impl=none}) measures all but the allocator.
     */
    static BufferAllocator of(String impl) {
        switch (impl) {
            case "weft":
                return weft(BufferPool.create());
            case "nettyPooled":
                PooledByteBufAllocator pooled = PooledByteBufAllocator.DEFAULT;
                return netty(pooled, () -> pooled.metric().usedDirectMemory());
            case "nettyAdaptive":
                AdaptiveByteBufAllocator adaptive = new AdaptiveByteBufAllocator(true);
                return netty(adaptive, adaptive::usedDirectMemory);
            case "allocateDirect":
                return new BufferAllocator() {
                    @Override
                    public Object acquire(int size) {
                        return ByteBuffer.allocateDirect(size);
                    }

                    @Override
                    public void release(Object buffer) {
                    }

                    @Override
                    public long heldBytes() {
                        return 0;
                    }
                };
            case "none":
                ByteBuffer only = ByteBuffer.allocateDirect(64 * 1024);
                return new BufferAllocator() {
                    @Override
                    public Object acquire(int size) {
                        return only;
                    }

                    @Override
                    public void release(Object buffer) {
                    }

                    @Override
                    public long heldBytes() {
                        return only.capacity();
                    }
                };
            default:
                throw new IllegalArgumentException("impl: unknown value '" + impl
                        + "'; expected weft, nettyPooled, nettyAdaptive, allocateDirect or none");
        }
    }

    /** The pool {@code pool}, which {@link #close()} closes (a runtime's pool: the runtime). */
    static BufferAllocator weft(BufferPool pool) {
        return new BufferAllocator() {
            @Override
            public Object acquire(int size) {
                return pool.acquire(size);
            }

            @Override
            public void release(Object buffer) {
                ((PooledBuffer) buffer).release();
            }

            @Override
            public long heldBytes() {
                return pool.stats().allocatedBytes();
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    private static BufferAllocator netty(ByteBufAllocator alloc, LongSupplier used) {
        return new BufferAllocator() {
            @Override
            public Object acquire(int size) {
                return alloc.directBuffer(size);
            }

            @Override
            public void release(Object buffer) {
                ((ByteBuf) buffer).release();
            }

            @Override
            public long heldBytes() {
                return used.getAsLong();
            }
        };
    }
}
