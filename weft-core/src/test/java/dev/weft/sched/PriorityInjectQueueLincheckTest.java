package dev.weft.sched;

import dev.weft.Priority;
import dev.weft.TaskOptions;
import dev.weft.task.Task;
import java.time.Instant;
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
 * The global queue with priority scheduling is linearizable as a priority queue by rank (FIFO
 * lanes and deadline lanes): pushes, spawns, single and batch pops from the most urgent lane, and
 * the take of the longest-waiting task once it is past a threshold, including their lock-free
 * early answers from the published size and oldest stamp. (The published bitmap and oldest stamp
 * are hints, which lead a push and trail a take by design; PriorityInjectQueueTest checks them
 * between operations.) A task's id sets its
 * priority ({@code id % 5}), whether it has a deadline ({@code id % 3 == 0}, earlier for larger
 * ids), and its stamp (the id, so "older" means a smaller id).
 */
@Param(name = "id", gen = IntGen.class, conf = "1:15")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class PriorityInjectQueueLincheckTest {

    private static final Priority[] PRIORITIES = Priority.values();

    private final InjectQueue queue = new InjectQueue(true);
    private final TaskCounts spawnCounts = new TaskCounts(false);

    private static Task<?> task(int id) {
        TaskOptions options = TaskOptions.priority(PRIORITIES[id % PRIORITIES.length]);
        if (id % 3 == 0) {
            options = options.deadline(Instant.ofEpochSecond(100 - id));
        }
        Task<?> task = QueueTasks.task(id, options);
        task.stampQueued(id);
        return task;
    }

    @Operation
    public boolean push(@Param(name = "id") int id) {
        return queue.push(task(id));
    }

    @Operation
    public int pushSpawned(@Param(name = "id") int id) {
        return queue.pushSpawned(task(id), spawnCounts);
    }

    @Operation
    public Integer pop() {
        Task<?> t = queue.pop();
        return t == null ? null : QueueTasks.id(t);
    }

    /** The oldest task if its stamp (its id) is at most 8: "now" is 18 and the threshold 10. */
    @Operation
    public Integer popStarved() {
        Task<?> t = queue.popStarved(18, new Aging(10), 0);
        return t == null ? null : QueueTasks.id(t);
    }

    /**
     * Takes a one-worker share (the whole lane, up to half of a fresh 8-slot queue); returns the
     * first, then the rest.
     */
    @Operation
    public List<Integer> popShareInto() {
        LocalQueue[] mine = new LocalQueue[Rank.LEVELS];
        for (int level = 0; level < mine.length; level++) {
            mine[level] = new LocalQueue(8);
        }
        List<Integer> ids = new ArrayList<>();
        Task<?> first = queue.popInto(mine, 1);
        if (first != null) {
            ids.add(QueueTasks.id(first));
            for (LocalQueue q : mine) {
                Task<?> t;
                while ((t = q.pop()) != null) {
                    ids.add(QueueTasks.id(t));
                }
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
                .actorsBefore(2).actorsAfter(2).check(PriorityInjectQueueLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(20).invocationsPerIteration(1_000).threads(3)
                .actorsPerThread(3)
                .actorsBefore(2).actorsAfter(2).check(PriorityInjectQueueLincheckTest.class);
    }
}
