package dev.weft.sched;

import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.TaskOptions;
import dev.weft.task.Task;
import dev.weft.task.TaskScheduler;
import java.util.ArrayList;
import java.util.List;

/** Tasks that only carry an id, for queue tests. */
final class QueueTasks {

    private static final TaskScheduler NONE = new TaskScheduler() {
        @Override
        public void schedule(Task<?> task) {
            throw new AssertionError("queue tests do not schedule");
        }

        @Override
        public boolean trackPending(Task<?> task) {
            return true;
        }

        @Override
        public void release(Task<?> task) {
        }

        @Override
        public void awaitDone(Task<?> task) {
        }
    };

    private QueueTasks() {
    }

    static Task<Integer> task(int id) {
        return task(id, TaskOptions.priority(Priority.NORMAL));
    }

    /** A task with these options (its name is set to the id). */
    static Task<Integer> task(int id, TaskOptions options) {
        return new Task<>(cx -> Poll.ready(id), options.name(Integer.toString(id)), NONE);
    }

    static int id(Task<?> task) {
        return Integer.parseInt(task.options().name().orElseThrow());
    }

    /** The ids of a chain linked through nextScheduled, in order; unlinks it. */
    static List<Integer> ids(Task<?> chain) {
        List<Integer> ids = new ArrayList<>();
        while (chain != null) {
            ids.add(id(chain));
            Task<?> next = chain.nextScheduled();
            chain.setNextScheduled(null);
            chain = next;
        }
        return ids;
    }

    /** What one steal obtained: the ids moved into a fresh queue, then the one returned to run. */
    static List<Integer> steal(LocalQueue victim, int capacity) {
        LocalQueue mine = new LocalQueue(capacity);
        Task<?> run = victim.stealInto(mine);
        List<Integer> ids = new ArrayList<>();
        Task<?> t;
        while ((t = mine.pop()) != null) {
            ids.add(id(t));
        }
        if (run != null) {
            ids.add(id(run));
        }
        return ids;
    }
}
