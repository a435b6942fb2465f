package dev.weft.sched;

import dev.weft.task.Task;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The local queue is linearizable for one owner (push, pop) and one thief: a steal takes the
 * older half, rounding up, and what it takes is its own, in order. The capacity is large enough
 * for no overflow: overflow and rival thieves are {@link LocalQueueConservationTest}'s.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class LocalQueueLincheckTest {

    private static final int CAPACITY = 16;

    private final LocalQueue queue = new LocalQueue(CAPACITY);
    private int nextId;

    @Operation(nonParallelGroup = "owner")
    public List<Integer> push() {
        Task<?> overflow = queue.push(QueueTasks.task(nextId++));
        return QueueTasks.ids(overflow);
    }

    @Operation(nonParallelGroup = "owner")
    public Integer pop() {
        Task<?> t = queue.pop();
        return t == null ? null : QueueTasks.id(t);
    }

    @Operation(nonParallelGroup = "thief")
    public List<Integer> steal() {
        return QueueTasks.steal(queue, CAPACITY);
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(300).threads(2)
                .actorsPerThread(4)
                .actorsBefore(3).actorsAfter(1).check(LocalQueueLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(10).invocationsPerIteration(1_000).threads(2)
                .actorsPerThread(4)
                .actorsBefore(3).actorsAfter(1).check(LocalQueueLincheckTest.class);
    }
}
