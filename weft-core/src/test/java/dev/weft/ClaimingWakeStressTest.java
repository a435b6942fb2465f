package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The claiming wake on real workers: a task that wakes another from inside its poll claims it for
 * its own worker's LIFO slot, and a second wake in the same poll pushes the first task out of the
 * slot to the queue, giving its claim back. Here every poll wakes two tasks of a ring, so both
 * paths run all the time, while a foreign thread aborts tasks at random and wakes others with
 * plain wakes, and a forced shutdown lands in the middle of it all. Checked: no task is polled by
 * two threads at once, every task ends (done normally or cancelled: an aborted task that sat
 * claimed, or was given back, is not left behind), and the runtime terminates. A give-back that
 * forgot an abort (the bug an outside review found, e322ea2) left such a task unfinished and the
 * shutdown waiting for it forever.
 */
class ClaimingWakeStressTest {

    private static final int ROUNDS = 200;
    private static final int TASKS = 64;
    /** Polls after which a ring task completes. */
    private static final int POLLS_TO_END = 400;

    /** Of a ring task's polls, one in this many aborts the task it just woke into its slot. */
    private static final int ABORT_CLAIMED_EVERY = 64;

    /**
     * A ring task: each poll wakes the next two tasks, until it has been polled enough; now and
     * then it aborts the first of them between the two wakes, while that task waits claimed in
     * this worker's slot, so that the second wake gives back the claim of an aborted task.
     */
    private static final class RingTask implements Future<Integer> {
        private final int index;
        private final AtomicReferenceArray<Waker> wakers;
        private final AtomicReferenceArray<JoinHandle<Integer>> handles;
        private final AtomicReference<String> violation;
        private final AtomicInteger totalPolls;
        private final AtomicBoolean inPoll = new AtomicBoolean();
        private int polls;

        RingTask(int index, AtomicReferenceArray<Waker> wakers,
                AtomicReferenceArray<JoinHandle<Integer>> handles,
                AtomicReference<String> violation, AtomicInteger totalPolls) {
            this.index = index;
            this.wakers = wakers;
            this.handles = handles;
            this.violation = violation;
            this.totalPolls = totalPolls;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (!inPoll.compareAndSet(false, true)) {
                violation.set("task " + index + " was polled by two threads at once");
            }
            try {
                wakers.set(index, cx.waker());
                totalPolls.incrementAndGet();
                if (++polls >= POLLS_TO_END) {
                    return Poll.ready(polls);
                }
                int next = (index + 1) % TASKS;
                wake(next); // claimed into this worker's slot
                if (polls % ABORT_CLAIMED_EVERY == index % ABORT_CLAIMED_EVERY) {
                    JoinHandle<Integer> h = handles.get(next);
                    if (h != null) {
                        h.abort(); // the abort of a task claimed for this worker
                    }
                }
                wake((index + 2) % TASKS); // claimed too: the first goes to the queue, given back
                return Poll.pending();
            } finally {
                inPoll.set(false);
            }
        }

        private void wake(int other) {
            Waker w = wakers.get(other);
            if (w != null) {
                w.wake();
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void claimedTasks_abortedOrGivenBack_allEnd_andAForcedShutdownTerminates() {
        SplittableRandom random = new SplittableRandom(17);
        int cancelled = 0;
        for (int round = 0; round < ROUNDS; round++) {
            cancelled += runRound(random.split());
        }
        // The mix did what it is for: some tasks ended by an abort or the shutdown.
        assertThat(cancelled).isPositive();
    }

    /** One round; returns how many tasks ended cancelled. */
    private static int runRound(SplittableRandom random) {
        AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicReferenceArray<Waker> wakers = new AtomicReferenceArray<>(TASKS);
        AtomicInteger totalPolls = new AtomicInteger();
        AtomicReferenceArray<JoinHandle<Integer>> handleArray = new AtomicReferenceArray<>(TASKS);
        List<JoinHandle<Integer>> handles = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            JoinHandle<Integer> h =
                    runtime.spawn(new RingTask(i, wakers, handleArray, violation, totalPolls));
            handleArray.set(i, h);
            handles.add(h);
        }
        // The meddling starts once the ring runs, so that it meets tasks in slots and queues.
        Await.until("the ring to be under way", () -> totalPolls.get() >= TASKS);
        AtomicInteger aborts = new AtomicInteger();
        AtomicInteger meddled = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        int abortEvery = 1 + random.nextInt(8);
        SplittableRandom meddlerRandom = random.split();
        Thread meddler = Await.thread("meddler", () -> {
            for (int i = 0; !stop.get(); i++) {
                int target = meddlerRandom.nextInt(TASKS);
                if (i % abortEvery == 0 && handles.get(target).abort()) {
                    aborts.incrementAndGet();
                }
                Waker w = wakers.get(meddlerRandom.nextInt(TASKS));
                if (w != null) {
                    w.wake(); // a plain wake, racing the claimed ones
                }
                meddled.incrementAndGet();
            }
        });
        // The forced shutdown lands in the middle of the aborts and wakes, while the ring runs
        // (POLLS_TO_END keeps it going for a while) or after it stopped (a ring whose links were
        // aborted waits for wakes that never come).
        int before = random.nextInt(TASKS * 2);
        Await.until("the meddling to be under way", () -> meddled.get() >= before);
        runtime.shutdown(Duration.ZERO);
        stop.set(true);
        Await.join(meddler);

        assertThat(violation.get()).isNull();
        int cancelled = 0;
        for (JoinHandle<Integer> h : handles) {
            assertThat(h.isDone()).as("every task ended by the end of the shutdown").isTrue();
            if (h.toCompletableFuture().isCompletedExceptionally()) {
                assertThatThrownBy(h::join).isInstanceOf(TaskCancelledException.class);
                cancelled++;
            } else {
                assertThat(h.join()).isEqualTo(POLLS_TO_END);
            }
        }
        assertThat(runtime.metrics().liveTasks()).isZero();
        assertThat(cancelled).isGreaterThanOrEqualTo(aborts.get());
        return cancelled;
    }
}
