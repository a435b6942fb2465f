package dev.weft.sched;

import dev.weft.task.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The local queue under rival thieves and overflow (capacity 4): a steal may find another in
 * progress and give up, and a push into a full queue may move half of it, or just itself, to the
 * inject queue; none of that is linearizable against a sequential run, so this test checks
 * conservation instead: every task pushed is obtained exactly once, by a pop, a steal or the
 * overflow, and every one of those obtains tasks in push order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class LocalQueueConservationTest {

    private static final int CAPACITY = 4;

    private final LocalQueue queue = new LocalQueue(CAPACITY);
    private final ConcurrentLinkedQueue<List<Integer>> obtained = new ConcurrentLinkedQueue<>();
    private final List<Integer> popped = new ArrayList<>(); // owner only
    private int nextId;

    @Operation(nonParallelGroup = "owner")
    public void push() {
        Task<?> overflow = queue.push(QueueTasks.task(nextId++));
        if (overflow != null) {
            obtained.add(QueueTasks.ids(overflow));
        }
    }

    @Operation(nonParallelGroup = "owner")
    public void pop() {
        Task<?> t = queue.pop();
        if (t != null) {
            popped.add(QueueTasks.id(t));
        }
    }

    @Operation
    public void steal() {
        List<Integer> ids = QueueTasks.steal(queue, CAPACITY);
        if (!ids.isEmpty()) {
            obtained.add(ids);
        }
    }

    @Validate
    public void everyTaskObtainedOnceInOrder() {
        Task<?> t;
        while ((t = queue.pop()) != null) {
            popped.add(QueueTasks.id(t));
        }
        obtained.add(popped);
        Set<Integer> seen = new HashSet<>();
        for (List<Integer> ids : obtained) {
            for (int i = 0; i < ids.size(); i++) {
                if (!seen.add(ids.get(i))) {
                    throw new IllegalStateException("task " + ids.get(i) + " obtained twice: "
                            + obtained);
                }
                // A steal returns its last task separately, so only its first n-1 are checked.
                if (i > 0 && i < ids.size() - 1 && ids.get(i) < ids.get(i - 1)) {
                    throw new IllegalStateException("out of push order: " + ids);
                }
            }
        }
        if (seen.size() != nextId) {
            throw new IllegalStateException(nextId + " tasks pushed but " + seen.size()
                    + " obtained: " + obtained);
        }
    }

    /**
     * The race the operation scenarios rarely reach: a push into a full queue while a thief is
     * copying the older half. The push must not reuse a slot being copied.
     */
    @Test
    void fullQueue_pushRacingSteal_losesNothing() {
        Lincheck.runConcurrentTest(300, () -> {
            LocalQueueConservationTest test = new LocalQueueConservationTest();
            for (int i = 0; i < CAPACITY; i++) {
                test.push();
            }
            Thread owner = new Thread(test::push);
            Thread thief = new Thread(test::steal);
            owner.start();
            thief.start();
            try {
                owner.join();
                thief.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            test.everyTaskObtainedOnceInOrder();
        });
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(300).threads(3)
                .actorsPerThread(3)
                .actorsBefore(4).actorsAfter(0).check(LocalQueueConservationTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(10).invocationsPerIteration(1_000).threads(3)
                .actorsPerThread(3)
                .actorsBefore(4).actorsAfter(0).check(LocalQueueConservationTest.class);
    }
}
