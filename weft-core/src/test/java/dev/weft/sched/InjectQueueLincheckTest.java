package dev.weft.sched;

import dev.weft.task.Task;
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
 * The global queue is linearizable as a FIFO queue for any number of producers and consumers:
 * pushes (one task, or a local queue's overflow chain, which lands in order), spawns that count
 * themselves and are refused once the queue is closed to spawns, single pops, and batch pops into
 * a local queue (the first task and then the batch, in order; all of the queue or part of it).
 */
@Param(name = "id", gen = IntGen.class, conf = "1:20")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class InjectQueueLincheckTest {

    private final InjectQueue queue = new InjectQueue(false);
    private final TaskCounts spawnCounts = new TaskCounts(false);

    @Operation
    public boolean push(@Param(name = "id") int id) {
        return queue.push(QueueTasks.task(id));
    }

    @Operation
    public void pushChainOfThree(@Param(name = "id") int id) {
        Task<?> first = QueueTasks.task(id);
        Task<?> second = QueueTasks.task(id + 100);
        Task<?> third = QueueTasks.task(id + 200);
        first.setNextScheduled(second);
        second.setNextScheduled(third);
        queue.pushChain(first);
    }

    /** Returns CLOSED, PUSHED or PUSHED_ONTO_EMPTY. */
    @Operation
    public int pushSpawned(@Param(name = "id") int id) {
        return queue.pushSpawned(QueueTasks.task(id), spawnCounts);
    }

    /** Spawns counted so far: exactly those accepted, counted with their push. */
    @Operation
    public long spawnsCounted() {
        return spawnCounts.spawnedVolatile();
    }

    @Operation
    public void closeToSpawns() {
        queue.closeToSpawns();
    }

    @Operation
    public Integer pop() {
        Task<?> t = queue.pop();
        return t == null ? null : QueueTasks.id(t);
    }

    /**
     * Takes a one-worker share (the whole lane, up to half of a fresh 8-slot queue); returns the
     * first, then the rest.
     */
    @Operation
    public List<Integer> popShareInto() {
        LocalQueue mine = new LocalQueue(8);
        List<Integer> ids = new ArrayList<>();
        Task<?> first = queue.popInto(new LocalQueue[] {mine}, 1);
        if (first != null) {
            ids.add(QueueTasks.id(first));
            Task<?> t;
            while ((t = mine.pop()) != null) {
                ids.add(QueueTasks.id(t));
            }
        }
        return ids;
    }

    @Operation
    public int size() {
        return queue.size();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(20).invocationsPerIteration(300).threads(3)
                .actorsPerThread(3)
                .actorsBefore(2).actorsAfter(2).check(InjectQueueLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(20).invocationsPerIteration(1_000).threads(3)
                .actorsPerThread(3)
                .actorsBefore(2).actorsAfter(2).check(InjectQueueLincheckTest.class);
    }
}
