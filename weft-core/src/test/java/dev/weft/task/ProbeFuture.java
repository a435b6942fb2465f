package dev.weft.task;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A future for state-machine tests. Producers call {@link #signal(Task)}: one token, then a wake.
 * Each poll consumes every token it sees, detects a poll overlapping another, and completes once
 * it has consumed {@code tokensToComplete} tokens (never, if that is 0).
 *
 * <p>"No lost wakeup" then reads: after the scheduler's queue is drained, a task that is not done
 * has consumed every token produced.
 */
final class ProbeFuture implements Future<Integer> {

    final AtomicInteger produced = new AtomicInteger();
    final AtomicInteger consumed = new AtomicInteger();
    final AtomicInteger polls = new AtomicInteger();
    /** Polls that returned ready: one at most, for a task polled correctly. */
    final AtomicInteger completions = new AtomicInteger();
    private final AtomicBoolean inPoll = new AtomicBoolean();
    private final int tokensToComplete;
    volatile String violation;

    ProbeFuture(int tokensToComplete) {
        this.tokensToComplete = tokensToComplete;
    }

    void signal(Task<?> task) {
        produced.incrementAndGet();
        task.wake();
    }

    @Override
    public Poll<Integer> poll(Context cx) {
        if (!inPoll.compareAndSet(false, true)) {
            violation = "polled by two threads at once";
        }
        try {
            polls.incrementAndGet();
            int seen = produced.get();
            consumed.set(seen);
            if (tokensToComplete > 0 && seen >= tokensToComplete) {
                completions.incrementAndGet();
                return Poll.ready(seen);
            }
            return Poll.pending();
        } finally {
            inPoll.set(false);
        }
    }
}
