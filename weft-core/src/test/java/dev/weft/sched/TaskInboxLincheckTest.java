package dev.weft.sched;

import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.TaskOptions;
import dev.weft.task.Task;
import dev.weft.task.TaskScheduler;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * The intrusive MPSC inbox is linearizable as a FIFO queue drained whole: concurrent producers,
 * one consumer ({@code nonParallelGroup}), in stress and model-checking modes.
 */
public class TaskInboxLincheckTest {

    private static final TaskScheduler UNUSED = new TaskScheduler() {
        @Override
        public void schedule(Task<?> task) {
            throw new AssertionError("not scheduled in this test");
        }

        @Override
        public void release(Task<?> task) {
        }

        @Override
        public void awaitDone(Task<?> task) {
        }
    };

    private final TaskInbox inbox = new TaskInbox();

    @Operation
    public void push(int id) {
        inbox.push(new Task<>(cx -> Poll.ready(null), TaskOptions.priority(Priority.NORMAL).name("t" + id), UNUSED));
    }

    @Operation(nonParallelGroup = "consumer")
    public List<String> takeAll() {
        List<String> names = new ArrayList<>();
        Task<?> task = inbox.takeAll();
        while (task != null) {
            names.add(task.options().name().orElseThrow());
            Task<?> next = task.nextScheduled();
            task.setNextScheduled(null);
            task = next;
        }
        return names;
    }

    @Operation(nonParallelGroup = "consumer")
    public boolean isEmpty() {
        return inbox.isEmpty();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(300).threads(3).actorsPerThread(2)
                .check(TaskInboxLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(10).invocationsPerIteration(1_000).threads(3).actorsPerThread(2)
                .check(TaskInboxLincheckTest.class);
    }
}
