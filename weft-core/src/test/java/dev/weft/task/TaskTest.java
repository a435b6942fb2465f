package dev.weft.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.TaskCancelledException;
import dev.weft.TaskFailedException;
import dev.weft.TaskOptions;
import dev.weft.Waker;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The task state machine driven by hand on one thread. */
class TaskTest {

    private final RecordingScheduler scheduler = new RecordingScheduler();

    private <T> Task<T> task(Future<T> future) {
        return new Task<>(future, TaskOptions.priority(Priority.NORMAL), scheduler);
    }

    @Test
    void newTask_isNotifiedAndRunsOnce() {
        ProbeFuture probe = new ProbeFuture(0);
        Task<Integer> t = task(probe);
        assertThat(t.stateWord()).isEqualTo(TaskState.NOTIFIED);
        assertThat(t.run()).isEqualTo(Task.IDLE);
        assertThat(t.run()).as("a second run without a wake is a stale entry")
                .isEqualTo(Task.SKIPPED);
        assertThat(probe.polls).hasValue(1);
    }

    @Test
    void wake_idle_schedulesOnce_evenIfWokenManyTimes() {
        Task<Integer> t = task(new ProbeFuture(0));
        t.run();
        t.wake();
        t.wake();
        t.wake();
        assertThat(scheduler.schedules).hasValue(1);
        assertThat(scheduler.queue).containsExactly(t);
    }

    @Test
    void wake_whilePolling_repollsOnce() {
        AtomicReference<Task<Integer>> self = new AtomicReference<>();
        AtomicInteger polls = new AtomicInteger();
        Task<Integer> t = task(cx -> {
            if (polls.incrementAndGet() == 1) {
                self.get().wake();
                self.get().wake();
                return Poll.pending();
            }
            return Poll.ready(polls.get());
        });
        self.set(t);
        assertThat(t.run()).isEqualTo(Task.RESCHEDULE);
        assertThat(scheduler.schedules).as("the poller re-queues, not the waker").hasValue(0);
        assertThat(t.run()).isEqualTo(Task.COMPLETED);
        assertThat(t.join()).isEqualTo(2);
    }

    @Test
    void wake_afterCompletion_doesNothing() {
        Task<String> t = task(cx -> Poll.ready("done"));
        assertThat(t.run()).isEqualTo(Task.COMPLETED);
        int word = t.stateWord();
        t.wake();
        assertThat(scheduler.schedules).hasValue(0);
        assertThat(t.stateWord()).isEqualTo(word);
        assertThat(scheduler.releases).hasValue(1);
    }

    @Test
    void completion_releasesTheFuture() {
        Task<String> t = task(cx -> Poll.ready("done"));
        t.run();
        assertThat(t).extracting("future").isNull();
    }

    @Test
    void trackPending_onceWhenTheTaskFirstWaits_andTheRegistryForgetsItAtCompletion() {
        ProbeFuture probe = new ProbeFuture(2);
        Task<Integer> t = task(probe);
        assertThat(t.run()).isEqualTo(Task.IDLE);
        assertThat(scheduler.registered()).containsExactly(t);
        probe.signal(t);
        assertThat(scheduler.drain()).isEqualTo(1);
        assertThat(t.isDone()).isFalse();
        assertThat(scheduler.trackings).as("already tracked: not asked again").hasValue(1);
        probe.signal(t);
        scheduler.drain();
        assertThat(t.isDone()).isTrue();
        assertThat(scheduler.registered()).isEmpty();
    }

    @Test
    void trackPending_notAskedOfATaskThatFinishesOrYields() {
        Task<Integer> finishes = task(cx -> Poll.ready(7));
        AtomicInteger yields = new AtomicInteger();
        Task<Integer> yielder = task(cx -> {
            if (yields.incrementAndGet() < 5) {
                cx.waker().wake(); // a yield: woken during its own poll, it goes back to a queue
                return Poll.pending();
            }
            return Poll.ready(yields.get());
        });
        scheduler.queue.add(finishes);
        scheduler.queue.add(yielder);
        scheduler.drain();
        assertThat(yielder.join()).isEqualTo(5);
        assertThat(finishes.join()).isEqualTo(7);
        assertThat(scheduler.trackings).hasValue(0);
    }

    @Test
    void trackPending_refused_endsTheTaskCancelledInsteadOfWaiting() {
        scheduler.registry.close();
        Task<Integer> t = task(new ProbeFuture(3));
        assertThat(t.run()).isEqualTo(Task.COMPLETED);
        assertThat(t.isCancelled()).isTrue();
        assertThat(scheduler.releases).hasValue(1);
        assertThatThrownBy(t::join).isInstanceOf(TaskCancelledException.class);
    }

    @Test
    void abort_idle_completesAtOnceAsCancelled() {
        Task<Integer> t = task(new ProbeFuture(0));
        t.run();
        assertThat(t.abort()).isTrue();
        assertThat(t.isDone()).isTrue();
        assertThat(t.isCancelled()).isTrue();
        assertThat(scheduler.releases).hasValue(1);
        assertThatThrownBy(t::join).isInstanceOf(TaskCancelledException.class)
                .hasMessageContaining("cancelled");
        assertThat(t.abort()).as("second abort").isFalse();
    }

    @Test
    void abort_queued_completesAndTheQueueEntryIsSkipped() {
        ProbeFuture probe = new ProbeFuture(0);
        Task<Integer> t = task(probe);
        assertThat(t.abort()).isTrue();
        assertThat(t.run()).isEqualTo(Task.SKIPPED);
        assertThat(probe.polls).hasValue(0);
    }

    @Test
    void abort_whilePolling_cancelsEvenIfThePollCompletes() {
        AtomicReference<Task<String>> self = new AtomicReference<>();
        AtomicReference<Boolean> aborted = new AtomicReference<>();
        Task<String> t = task(cx -> {
            aborted.set(self.get().abort());
            return Poll.ready("value");
        });
        self.set(t);
        assertThat(t.run()).isEqualTo(Task.COMPLETED);
        assertThat(aborted.get()).isTrue();
        assertThat(t.isCancelled()).isTrue();
    }

    @Test
    void abort_completed_returnsFalse() {
        Task<String> t = task(cx -> Poll.ready("value"));
        t.run();
        assertThat(t.abort()).isFalse();
        assertThat(t.join()).isEqualTo("value");
    }

    @Test
    void failure_unchecked_isRethrownAsIs() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Task<String> t = task(cx -> {
            throw boom;
        });
        assertThat(t.run()).isEqualTo(Task.COMPLETED);
        assertThat(t.isFailed()).isTrue();
        assertThatThrownBy(t::join).isSameAs(boom);
    }

    @Test
    void failure_checked_isWrappedWithTheTaskName() {
        IOException io = new IOException("disk");
        Task<String> t = new Task<>(cx -> {
            throw sneaky(io);
        }, TaskOptions.priority(Priority.NORMAL).name("reader"), scheduler);
        t.run();
        assertThatThrownBy(t::join).isInstanceOf(TaskFailedException.class)
                .hasCause(io).hasMessageContaining("task 'reader'");
    }

    @Test
    void pollReturningNull_failsTheTaskWithAClearMessage() {
        Task<String> t = task(cx -> null);
        t.run();
        assertThatThrownBy(t::join).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("returned null from poll");
    }

    @Test
    void waiters_areWokenOnceOnCompletion_andSameWakerRegistersOnce() {
        ProbeFuture probe = new ProbeFuture(1);
        Task<Integer> t = task(probe);
        AtomicInteger wakes = new AtomicInteger();
        Waker w = wakes::incrementAndGet;
        AtomicInteger otherWakes = new AtomicInteger();
        assertThat(t.registerWaiter(w)).isTrue();
        assertThat(t.registerWaiter(w)).isTrue();
        assertThat(t.registerWaiter(otherWakes::incrementAndGet)).isTrue();
        assertThat(t.stateWord() & TaskState.JOIN_WAITERS).isNotZero();
        t.run();
        assertThat(wakes).as("pending poll wakes no waiter").hasValue(0);
        probe.signal(t);
        scheduler.drain();
        assertThat(t.isDone()).isTrue();
        assertThat(wakes).hasValue(1);
        assertThat(otherWakes).hasValue(1);
        assertThat(t.registerWaiter(w)).as("registration after completion").isFalse();
    }

    @Test
    void joinHandlePoll_pendingThenReady() {
        ProbeFuture probe = new ProbeFuture(1);
        Task<Integer> t = task(probe);
        AtomicInteger wakes = new AtomicInteger();
        Context awaiting = () -> wakes::incrementAndGet;
        assertThat(t.poll(awaiting).isReady()).isFalse();
        t.run();
        probe.signal(t);
        scheduler.drain();
        assertThat(wakes).hasValue(1);
        assertThat(t.poll(awaiting)).isEqualTo(Poll.ready(1));
    }

    @Test
    void joinHandlePoll_byTheTaskItself_isRefused() {
        AtomicReference<Task<Integer>> self = new AtomicReference<>();
        Task<Integer> t = task(cx -> self.get().poll(cx));
        self.set(t);
        t.run();
        assertThatThrownBy(t::join).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("its own JoinHandle");
    }

    @Test
    void throwingWaiter_doesNotStopOtherWaiters() {
        Task<String> t = task(cx -> Poll.ready("v"));
        AtomicInteger woken = new AtomicInteger();
        t.registerWaiter(() -> {
            throw new IllegalStateException("bad waker");
        });
        t.registerWaiter(woken::incrementAndGet);
        t.run();
        assertThat(woken).hasValue(1);
    }

    @Test
    void toCompletableFuture_value_failure_cancellation() throws Exception {
        Task<String> ok = task(cx -> Poll.ready("v"));
        CompletableFuture<String> okView = ok.toCompletableFuture();
        assertThat(okView).isNotDone();
        ok.run();
        assertThat(okView).isCompletedWithValue("v");
        assertThat(ok.toCompletableFuture()).as("view of a completed task")
                .isCompletedWithValue("v");

        IOException io = new IOException("io");
        Task<String> failed = task(cx -> {
            throw sneaky(io);
        });
        failed.run();
        assertThat(failed.toCompletableFuture()).isCompletedExceptionally()
                .failsWithin(java.time.Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCause(io);

        Task<Integer> pending = task(new ProbeFuture(0));
        CompletableFuture<Integer> view = pending.toCompletableFuture();
        assertThat(view.cancel(false)).isTrue();
        assertThat(view.isCancelled()).isTrue();
        assertThat(pending.isCancelled()).as("cancelling the view aborts the task").isTrue();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void aTaskAbortedWhileClaimed_endsWhenItsClaimerGivesTheClaimBack_andIsNotQueued() {
        Task<Integer> t = task(new ProbeFuture(0));
        t.run();
        scheduler.claimingThread = Thread.currentThread();
        t.wake();
        assertThat(scheduler.claimed).containsExactly(t);
        assertThat(t.abort()).as("a claimed task is held: the abort is left to its claimer")
                .isTrue();
        assertThat(t.isDone()).isFalse();
        // A forced shutdown empties the queues and aborts what it finds, and that abort returns
        // false on a cancelled task: a cancelled task must never be queued without an owner.
        assertThat(t.unclaim()).isFalse();
        assertThat(t.isCancelled()).isTrue();
        assertThat(scheduler.releases).hasValue(1);
    }

    @Test
    void aClaimedTask_givenBack_isClaimedAndPolledFromTheQueue() {
        ProbeFuture probe = new ProbeFuture(0);
        Task<Integer> t = task(probe);
        t.run();
        scheduler.claimingThread = Thread.currentThread();
        probe.signal(t);
        assertThat(scheduler.schedules).as("a claiming wake queues nothing").hasValue(0);
        assertThat(t.unclaim()).isTrue();
        assertThat(t.stateWord()).isEqualTo(TaskState.NOTIFIED);
        assertThat(t.run()).isEqualTo(Task.IDLE);
        assertThat(probe.consumed).hasValue(1);
    }
}
