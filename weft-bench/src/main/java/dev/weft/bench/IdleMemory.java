package dev.weft.bench;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.Waker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The heap held by idle work: {@value #DEFAULT_COUNT} Weft tasks pending on a signal each,
 * against as many virtual threads parked on a {@link CountDownLatch} each (JDK 21+). Measured as
 * the used heap after full collections, before and after, divided by the count; then every task
 * and thread is released and must finish (nothing lost). Not a JMH benchmark: it measures
 * retained memory, not time.
 *
 * <pre>java -cp weft-bench/target/benchmarks.jar dev.weft.bench.IdleMemory [count]</pre>
 */
public final class IdleMemory {

    static final int DEFAULT_COUNT = 100_000;

    private IdleMemory() {
    }

    public static void main(String[] args) throws Exception {
        int count = DEFAULT_COUNT;
        if (args.length > 0) {
            try {
                count = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("count: expected a positive integer, got '"
                        + args[0] + "'", e);
            }
            if (count <= 0) {
                throw new IllegalArgumentException("count: expected a positive integer, got "
                        + count);
            }
        }
        long weft = weftTasks(count);
        System.out.printf("%-36s %,10d bytes each%n", "Weft task, pending on a signal", weft);
        if (Runtime.version().feature() < 21) {
            System.out.println("virtual threads: skipped, JDK " + Runtime.version()
                    + " has none (JDK 21+)");
            return;
        }
        long virtual = virtualThreads(count);
        System.out.printf("%-36s %,10d bytes each%n", "virtual thread, parked on a latch", virtual);
        System.out.printf("ratio (Weft / virtual thread)        %10.3f%n", (double) weft / virtual);
    }

    /** A one-shot signal: the task awaiting it keeps only its waker here. */
    static final class Signal implements Future<Void> {
        private volatile boolean raised;
        private volatile Waker waiter;
        private final AtomicInteger pending;

        Signal(AtomicInteger pending) {
            this.pending = pending;
        }

        void raise() {
            raised = true; // written before waiter is read: pairs with poll's write-then-read
            Waker w = waiter;
            if (w != null) {
                w.wake();
            }
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (raised) {
                return Poll.ready(null);
            }
            if (waiter == null) {
                pending.incrementAndGet();
            }
            waiter = cx.waker();
            return raised ? Poll.ready(null) : Poll.pending();
        }
    }

    static long weftTasks(int count) throws InterruptedException {
        AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
        try {
            AtomicInteger pending = new AtomicInteger();
            long before = usedHeapAfterGc();
            List<Signal> signals = new ArrayList<>(count);
            List<JoinHandle<Void>> handles = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Signal s = new Signal(pending);
                signals.add(s);
                handles.add(runtime.spawn(s));
            }
            awaitCount(pending, count, "Weft tasks pending");
            long perTask = (usedHeapAfterGc() - before) / count;
            signals.forEach(Signal::raise);
            for (JoinHandle<Void> h : handles) {
                h.join();
            }
            return perTask;
        } finally {
            runtime.shutdown(Duration.ofSeconds(5));
        }
    }

    static long virtualThreads(int count) throws Exception {
        AtomicInteger parked = new AtomicInteger();
        long before = usedHeapAfterGc();
        List<CountDownLatch> latches = new ArrayList<>(count);
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            CountDownLatch latch = new CountDownLatch(1);
            latches.add(latch);
            threads.add(VirtualThreads.start(() -> {
                parked.incrementAndGet();
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException("a parked virtual thread was interrupted", e);
                }
            }));
        }
        awaitCount(parked, count, "virtual threads started");
        for (Thread t : threads) { // each has announced itself: wait until it is really parked
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (t.getState() != Thread.State.WAITING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a virtual thread did not park within 30 s: "
                            + t.getState());
                }
                Thread.onSpinWait();
            }
        }
        long perThread = (usedHeapAfterGc() - before) / count;
        latches.forEach(CountDownLatch::countDown);
        for (Thread t : threads) {
            t.join();
        }
        return perThread;
    }

    private static void awaitCount(AtomicInteger counter, int target, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counter.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": " + counter.get() + " of " + target
                        + " after 60 s");
            }
            Thread.onSpinWait();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
