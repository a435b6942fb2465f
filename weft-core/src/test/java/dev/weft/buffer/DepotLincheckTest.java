package dev.weft.buffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared level of a size class is linearizable against a sequential stack, in stress and
 * model-checking modes: single pushes and pops (threads without a cache) race batch pushes and
 * batch pops (caches refilling and flushing), trims (an idle runtime thread giving back the
 * buffers no pop needed since the interval began) and the start of a new interval.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Param(name = "id", gen = IntGen.class, conf = "0:5")
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class DepotLincheckTest {

    private static final ByteBuffer[] BUFFERS = new ByteBuffer[6];

    static {
        for (int i = 0; i < BUFFERS.length; i++) {
            BUFFERS[i] = ByteBuffer.allocate(1);
        }
    }

    private final Depot depot = new Depot();

    /** Lincheck creates one per scenario. */
    public DepotLincheckTest() {
    }

    private static int id(ByteBuffer b) {
        for (int i = 0; i < BUFFERS.length; i++) {
            if (BUFFERS[i] == b) {
                return i;
            }
        }
        throw new AssertionError("a buffer the test never gave: " + b);
    }

    /** Pushes one buffer. */
    @Operation
    public void push(@Param(name = "id") int id) {
        depot.push(BUFFERS[id]);
    }

    /** Pops one buffer: its id, or -1. */
    @Operation
    public int pop() {
        ByteBuffer b = depot.pop();
        return b == null ? -1 : id(b);
    }

    /** Pushes two buffers in one batch. */
    @Operation
    public void pushTwo(@Param(name = "id") int first, @Param(name = "id") int second) {
        depot.pushAll(new ByteBuffer[] {BUFFERS[first], BUFFERS[second]}, 0, 2);
    }

    /** Pops up to two buffers in one batch: their ids, deepest first. */
    @Operation
    public List<Integer> popTwo() {
        ByteBuffer[] into = new ByteBuffer[2];
        int n = depot.popInto(into, 2);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(id(into[i]));
        }
        return ids;
    }

    /** Begins an interval. */
    @Operation
    public void beginInterval() {
        depot.beginInterval();
    }

    /** Trims up to two idle buffers: their ids, from the top. */
    @Operation
    public List<Integer> trimTwo() {
        ByteBuffer[] into = new ByteBuffer[2];
        int n = depot.trimIdle(into);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(id(into[i]));
        }
        return ids;
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(500).threads(3)
                .actorsPerThread(3).sequentialSpecification(Model.class)
                .check(DepotLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(30).invocationsPerIteration(1_000).threads(3)
                .actorsPerThread(3).sequentialSpecification(Model.class)
                .check(DepotLincheckTest.class);
    }

    /** The sequential specification: a stack of ids, and the fewest held in the interval. */
    public static final class Model {
        private final List<Integer> stack = new ArrayList<>();
        private int lowWater;

        /** Lincheck creates one per scenario. */
        public Model() {
        }

        /** See {@link DepotLincheckTest#push}. */
        public void push(int id) {
            stack.add(id);
        }

        /** See {@link DepotLincheckTest#pop}. */
        public int pop() {
            if (stack.isEmpty()) {
                return -1;
            }
            int top = stack.remove(stack.size() - 1);
            lowWater = Math.min(lowWater, stack.size());
            return top;
        }

        /** See {@link DepotLincheckTest#pushTwo}. */
        public void pushTwo(int first, int second) {
            stack.add(first);
            stack.add(second);
        }

        /** See {@link DepotLincheckTest#popTwo}. */
        public List<Integer> popTwo() {
            int n = Math.min(2, stack.size());
            List<Integer> top = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
            stack.subList(stack.size() - n, stack.size()).clear();
            lowWater = Math.min(lowWater, stack.size());
            return top;
        }

        /** See {@link DepotLincheckTest#beginInterval}. */
        public void beginInterval() {
            lowWater = stack.size();
        }

        /** See {@link DepotLincheckTest#trimTwo}. */
        public List<Integer> trimTwo() {
            int n = Math.min(2, lowWater);
            int size = stack.size();
            List<Integer> top = new ArrayList<>(stack.subList(size - n, size));
            stack.subList(size - n, size).clear();
            lowWater -= n;
            return top;
        }
    }
}
