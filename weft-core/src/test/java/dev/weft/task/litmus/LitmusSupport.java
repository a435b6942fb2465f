package dev.weft.task.litmus;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.TaskOptions;
import dev.weft.task.Task;
import dev.weft.task.TaskScheduler;

/**
 * Pieces shared by the litmus tests: a scheduler that counts, and a future that looks for a signal.
 */
final class LitmusSupport {

    static final TaskOptions NORMAL = TaskOptions.priority(Priority.NORMAL);

    private LitmusSupport() {
    }

    /** Counts schedules; each litmus test has one waking actor, so a plain field suffices. */
    static final class CountingScheduler implements TaskScheduler {
        int schedules;

        @Override
        public void schedule(Task<?> task) {
            schedules++;
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
            task.parkUntilDone();
        }
    }

    /** Pending for ever; records whether its poll saw the signal a waker set before waking. */
    static final class SignalFuture implements Future<Integer> {
        volatile boolean signal;
        int sawSignal;

        @Override
        public Poll<Integer> poll(Context cx) {
            sawSignal = signal ? 1 : 0;
            return Poll.pending();
        }
    }
}
