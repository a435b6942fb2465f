package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.task.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The earliest-deadline queue of one priority, and its view by age. */
class DeadlineQueueTest {

    private final DeadlineQueue queue = new DeadlineQueue();
    private int ids;

    private Task<?> task() {
        return QueueTasks.task(ids++);
    }

    @Test
    void poll_givesEarliestDeadlineFirst_andTiesInTheOrderAdded() {
        Random random = new Random(7);
        record Entry(Task<?> task, long deadline, int order) { }
        List<Entry> added = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Entry e = new Entry(task(), random.nextInt(50), i); // many ties
            added.add(e);
            queue.add(e.task, e.deadline, i);
        }
        List<Task<?>> expected = added.stream()
                .sorted(Comparator.comparingLong(Entry::deadline).thenComparingInt(Entry::order))
                .<Task<?>>map(Entry::task).toList();
        List<Task<?>> taken = new ArrayList<>();
        Task<?> t;
        while ((t = queue.poll()) != null) {
            taken.add(t);
        }
        assertThat(taken).containsExactlyElementsOf(expected);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void pollOldest_givesTheFirstArrival_andThatTaskIsGoneFromTheDeadlineOrder() {
        Task<?> late = task();
        Task<?> early = task();
        queue.add(late, 100, 1);
        queue.add(early, 5, 2);
        assertThat(queue.peekOldest()).isSameAs(late);

        assertThat(queue.pollOldest()).isSameAs(late);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.peekOldest()).isSameAs(early);
        assertThat(queue.poll()).isSameAs(early);
        assertThat(queue.poll()).isNull();
        assertThat(queue.pollOldest()).isNull();
        assertThat(queue.peekOldest()).isNull();
    }

    @Test
    void aTaskTakenByDeadline_isNotHandedOutAgainByAge() {
        Task<?> a = task();
        Task<?> b = task();
        queue.add(a, 1, 10);
        queue.add(b, 2, 20);
        assertThat(queue.poll()).isSameAs(a);
        assertThat(queue.pollOldest()).isSameAs(b); // a's arrival entry is dead and skipped
        assertThat(queue.pollOldest()).isNull();
    }

    @Test
    void aTaskQueuedAgainWithTheSameStamp_isHandedOutOnce() {
        Task<?> a = task();
        Task<?> b = task();
        queue.add(b, 50, 7);
        queue.add(a, 1, 7);
        assertThat(queue.poll()).isSameAs(a); // leaves a dead arrival entry stamped 7
        queue.add(a, 100, 7);                 // the same stamp: the old entry matches it again
        List<Task<?>> taken = new ArrayList<>();
        Task<?> t;
        while ((t = queue.pollOldest()) != null) {
            taken.add(t);
        }
        assertThat(taken).containsExactly(b, a);
        assertThat(queue.poll()).isNull();
    }

    @Test
    void mixedTakes_keepEveryTaskExactlyOnce_andCompactionBoundsTheEntries() {
        Random random = new Random(11);
        List<Task<?>> live = new ArrayList<>();
        int stamp = 0;
        for (int round = 0; round < 20_000; round++) {
            if (live.isEmpty() || random.nextInt(3) != 0) {
                Task<?> t = task();
                queue.add(t, random.nextInt(1000), stamp++);
                live.add(t);
            } else {
                Task<?> t = random.nextBoolean() ? queue.poll() : queue.pollOldest();
                assertThat(live.remove(t)).as("handed out a task that was queued").isTrue();
            }
            assertThat(queue.size()).isEqualTo(live.size());
        }
        List<Task<?>> rest = new ArrayList<>();
        Task<?> t;
        while ((t = queue.poll()) != null) {
            rest.add(t);
        }
        assertThat(rest).containsExactlyInAnyOrderElementsOf(live);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
    }
}
