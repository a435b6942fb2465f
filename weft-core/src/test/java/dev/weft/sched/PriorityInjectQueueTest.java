package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Priority;
import dev.weft.TaskOptions;
import dev.weft.task.Task;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The global queue's lanes, one thread at a time: order, and the hints it publishes for workers.
 */
class PriorityInjectQueueTest {

    private static final Aging THRESHOLD_100 = new Aging(100);

    private final InjectQueue queue = new InjectQueue(true);

    private static Task<?> task(int id, Priority priority, Instant deadline, long stamp) {
        TaskOptions options = TaskOptions.priority(priority);
        Task<?> task = QueueTasks.task(id, deadline == null ? options : options.deadline(deadline));
        task.stampQueued(stamp);
        return task;
    }

    @Test
    void takes_goByRank_andTheHintsFollowEveryChange() {
        assertThat(queue.ranksVolatile()).isZero();
        assertThat(queue.oldestStampVolatile()).isEqualTo(InjectQueue.NO_STAMP);

        queue.push(task(1, Priority.LOW, null, 100));                          // rank 7
        queue.push(task(2, Priority.HIGH, Instant.ofEpochSecond(50), 200));    // rank 2
        queue.push(task(3, Priority.HIGH, Instant.ofEpochSecond(10), 300));    // rank 2, earlier
                                                                               // deadline
        queue.push(task(4, Priority.HIGH, null, 50));                          // rank 3, the oldest
        assertThat(queue.ranksVolatile()).isEqualTo((1 << 7) | (1 << 2) | (1 << 3));
        assertThat(queue.oldestStampVolatile()).isEqualTo(50);
        assertThat(queue.size(Priority.HIGH.ordinal())).isEqualTo(3);
        assertThat(queue.size(Priority.LOW.ordinal())).isEqualTo(1);

        assertThat(QueueTasks.id(queue.pop())).isEqualTo(3);
        assertThat(QueueTasks.id(queue.pop())).isEqualTo(2);
        assertThat(queue.ranksVolatile()).isEqualTo((1 << 7) | (1 << 3));

        // Task 4 (stamp 50) is past a threshold of 100 at 160; task 1 (stamp 100) is not yet.
        assertThat(QueueTasks.id(queue.popStarved(160, THRESHOLD_100, 0))).isEqualTo(4);
        assertThat(queue.oldestStampVolatile()).isEqualTo(100);
        assertThat(queue.popStarved(160, THRESHOLD_100, 0)).isNull();
        assertThat(QueueTasks.id(queue.popStarved(200, THRESHOLD_100, 0))).isEqualTo(1);

        assertThat(queue.ranksVolatile()).isZero();
        assertThat(queue.oldestStampVolatile()).isEqualTo(InjectQueue.NO_STAMP);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aStarvedDeadlineTask_isTakenByAge_notByDeadline() {
        queue.push(task(1, Priority.BACKGROUND, Instant.ofEpochSecond(90), 10));
        queue.push(task(2, Priority.BACKGROUND, Instant.ofEpochSecond(20), 40));
        assertThat(QueueTasks.id(queue.popStarved(100, new Aging(50), 0))).isEqualTo(1);
        assertThat(QueueTasks.id(queue.pop())).isEqualTo(2);
        assertThat(queue.pop()).isNull();
    }

    @Test
    void theBestRanksTasks_areNeverTakenAsStarved() {
        queue.push(task(1, Priority.CRITICAL, null, 1)); // rank 1, the oldest
        queue.push(task(2, Priority.LOW, null, 5));      // rank 7
        assertThat(QueueTasks.id(queue.popStarved(100, new Aging(10), 1))).isEqualTo(2);
        assertThat(queue.popStarved(100, new Aging(10), 1)).isNull();
        assertThat(QueueTasks.id(queue.pop())).isEqualTo(1);
    }
}
