package dev.weft.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * A direct buffer acquired and released, in nanoseconds per buffer: on one thread
 * ({@code sameThread}), and acquired on one thread, released on another ({@code crossThread}:
 * the two run at once, handing buffers over through a ring of 1,024 slots; the score is per
 * buffer handed over).
 *
 * The allocators are {@link BufferAllocator#of}'s: Weft's pool as a user gets it (sampled leak
 * detection), Netty's pooled and adaptive allocators (Netty's default leak detection, also
 * sampled), and {@code ByteBuffer.allocateDirect} left to the collector.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class BufferBenchmark {

    /** The allocator, shared by the threads of a trial. */
    @State(Scope.Benchmark)
    public static class Pools {
        @Param({"weft", "nettyPooled", "nettyAdaptive", "allocateDirect"})
        public String impl;

        @Param({"256", "4096", "65536"})
        public int size;

        BufferAllocator allocator;

        @Setup(Level.Trial)
        public void start() {
            allocator = BufferAllocator.of(impl);
        }

        @TearDown(Level.Trial)
        public void stop() {
            allocator.close();
        }
    }

    /** The ring a crossThread pair hands buffers over through: one producer, one consumer. */
    @State(Scope.Group)
    public static class Ring {
        static final int SLOTS = 1024;
        final AtomicReferenceArray<Object> slots = new AtomicReferenceArray<>(SLOTS);

        @TearDown(Level.Iteration)
        public void drain(Pools pools) {
            for (int i = 0; i < SLOTS; i++) {
                Object b = slots.getAndSet(i, null);
                if (b != null) {
                    pools.allocator.release(b);
                }
            }
        }
    }

    /** A thread's place in the ring: its own object, so the two places share no cache line. */
    @State(Scope.Thread)
    public static class Cursor {
        int index;

        @TearDown(Level.Iteration)
        public void rewind() {
            index = 0;
        }
    }

    @Benchmark
    public Object sameThread(Pools pools) {
        Object b = pools.allocator.acquire(pools.size);
        pools.allocator.release(b);
        return b;
    }

    @Benchmark
    @Group("crossThread")
    @GroupThreads(1)
    public void acquirer(Pools pools, Ring ring, Cursor cursor, Control control) {
        Object b = pools.allocator.acquire(pools.size);
        int i = cursor.index;
        while (ring.slots.get(i) != null) { // full: wait for the releaser
            if (control.stopMeasurement) { // the releaser may be gone: do not wait for it
                pools.allocator.release(b);
                return;
            }
            Thread.onSpinWait();
        }
        ring.slots.lazySet(i, b);
        cursor.index = (i + 1) & (Ring.SLOTS - 1);
    }

    @Benchmark
    @Group("crossThread")
    @GroupThreads(1)
    public void releaser(Pools pools, Ring ring, Cursor cursor, Control control) {
        int i = cursor.index;
        Object b;
        while ((b = ring.slots.get(i)) == null) { // empty: wait for the acquirer
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
        ring.slots.lazySet(i, null);
        cursor.index = (i + 1) & (Ring.SLOTS - 1);
        pools.allocator.release(b);
    }
}
