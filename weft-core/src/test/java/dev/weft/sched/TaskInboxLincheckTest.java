package dev.weft.sched;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The intrusive MPSC inbox is linearizable as a FIFO queue drained whole: concurrent producers,
 * one consumer ({@code nonParallelGroup}), in stress and model-checking modes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class TaskInboxLincheckTest {

    private final TaskInbox inbox = new TaskInbox();

    @Operation
    public void push(int id) {
        inbox.push(QueueTasks.task(id));
    }

    @Operation(nonParallelGroup = "consumer")
    public List<Integer> takeAll() {
        return QueueTasks.ids(inbox.takeAll());
    }

    @Operation(nonParallelGroup = "consumer")
    public boolean isEmpty() {
        return inbox.isEmpty();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(300).threads(3)
                .actorsPerThread(2)
                .check(TaskInboxLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions().iterations(10).invocationsPerIteration(1_000).threads(3)
                .actorsPerThread(2)
                .check(TaskInboxLincheckTest.class);
    }
}
