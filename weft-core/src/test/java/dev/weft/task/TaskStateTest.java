package dev.weft.task;

import static dev.weft.task.TaskState.CANCELLED;
import static dev.weft.task.TaskState.COMPLETE;
import static dev.weft.task.TaskState.INITIAL;
import static dev.weft.task.TaskState.JOIN_WAITERS;
import static dev.weft.task.TaskState.NOTIFIED;
import static dev.weft.task.TaskState.NO_CHANGE;
import static dev.weft.task.TaskState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every transition of the state word, without threads. */
class TaskStateTest {

    private static final int IDLE = 0;

    /**
     * Every combination of the five bits; some are unreachable, and transitions must still be sane.
     */
    private static IntStream allWords() {
        return IntStream.range(0, 1 << 5);
    }

    @Test
    void initial_isNotifiedOnly() {
        assertThat(INITIAL).isEqualTo(NOTIFIED);
    }

    @Test
    void wake_idle_setsNotifiedAndMustSchedule() {
        assertThat(TaskState.wake(IDLE)).isEqualTo(NOTIFIED);
        assertThat(TaskState.wakeMustSchedule(IDLE)).isTrue();
    }

    @Test
    void wake_running_setsNotifiedButPollerReschedules() {
        assertThat(TaskState.wake(RUNNING)).isEqualTo(RUNNING | NOTIFIED);
        assertThat(TaskState.wakeMustSchedule(RUNNING)).isFalse();
    }

    @Test
    void wake_alreadyNotifiedOrComplete_doesNothing() {
        allWords().filter(s -> (s & (NOTIFIED | COMPLETE)) != 0)
                .forEach(s -> assertThat(TaskState.wake(s)).as(TaskState.toString(s))
                        .isEqualTo(NO_CHANGE));
    }

    @Test
    void wakeClaiming_idle_claimsForTheWakingThread_withoutNotifying() {
        assertThat(TaskState.wakeClaiming(IDLE)).isEqualTo(RUNNING);
        assertThat(TaskState.wakeClaiming(JOIN_WAITERS)).isEqualTo(RUNNING | JOIN_WAITERS);
        assertThat(TaskState.wakeMustSchedule(IDLE)).as("the claimer takes the task").isTrue();
    }

    @Test
    void wakeClaiming_running_notifiesAsAPlainWake_andThePollerReschedules() {
        assertThat(TaskState.wakeClaiming(RUNNING)).isEqualTo(RUNNING | NOTIFIED);
        assertThat(TaskState.wakeClaiming(RUNNING | CANCELLED))
                .isEqualTo(RUNNING | CANCELLED | NOTIFIED);
        assertThat(TaskState.wakeMustSchedule(RUNNING)).isFalse();
    }

    @Test
    void wakeClaiming_notifiedOrComplete_doesNothing() {
        allWords().filter(s -> (s & (NOTIFIED | COMPLETE)) != 0)
                .forEach(s -> assertThat(TaskState.wakeClaiming(s)).as(TaskState.toString(s))
                        .isEqualTo(NO_CHANGE));
    }

    @Test
    void unclaim_givesRunningBackAsNotified_keepingWaiters() {
        assertThat(TaskState.unclaim(RUNNING)).isEqualTo(NOTIFIED);
        assertThat(TaskState.unclaim(RUNNING | NOTIFIED)).isEqualTo(NOTIFIED);
        assertThat(TaskState.unclaim(RUNNING | JOIN_WAITERS)).isEqualTo(NOTIFIED | JOIN_WAITERS);
    }

    @Test
    void claim_notifiedIdle_setsRunningAndConsumesNotified() {
        assertThat(TaskState.claim(NOTIFIED)).isEqualTo(RUNNING);
        assertThat(TaskState.claim(NOTIFIED | JOIN_WAITERS)).isEqualTo(RUNNING | JOIN_WAITERS);
    }

    @Test
    void claim_staleEntry_isRefused() {
        assertThat(TaskState.claim(IDLE)).isEqualTo(NO_CHANGE);
        assertThat(TaskState.claim(RUNNING | NOTIFIED)).isEqualTo(NO_CHANGE);
        assertThat(TaskState.claim(COMPLETE)).isEqualTo(NO_CHANGE);
        assertThat(TaskState.claim(RUNNING | CANCELLED)).isEqualTo(NO_CHANGE);
    }

    @Test
    void claim_neverGrantsRunningTwice() {
        allWords().filter(s -> (s & RUNNING) != 0)
                .forEach(s -> assertThat(TaskState.claim(s)).as(TaskState.toString(s))
                        .isEqualTo(NO_CHANGE));
    }

    @Test
    void releaseAfterPending_keepsNotifiedSoThePollerRequeues() {
        assertThat(TaskState.releaseAfterPending(RUNNING)).isEqualTo(IDLE);
        assertThat(TaskState.releaseAfterPending(RUNNING | NOTIFIED)).isEqualTo(NOTIFIED);
        assertThat(TaskState.releaseAfterPending(RUNNING | JOIN_WAITERS)).isEqualTo(JOIN_WAITERS);
    }

    @Test
    void complete_setsCompleteAndClearsRunningAndNotified_keepsWaitersAndCancelled() {
        assertThat(TaskState.complete(RUNNING | NOTIFIED | JOIN_WAITERS))
                .isEqualTo(COMPLETE | JOIN_WAITERS);
        assertThat(TaskState.complete(RUNNING | CANCELLED)).isEqualTo(COMPLETE | CANCELLED);
    }

    @Test
    void abort_idleOrQueued_claimsTheTask() {
        assertThat(TaskState.abort(IDLE)).isEqualTo(RUNNING | CANCELLED);
        assertThat(TaskState.abortClaims(IDLE)).isTrue();
        assertThat(TaskState.abort(NOTIFIED)).isEqualTo(RUNNING | CANCELLED);
        assertThat(TaskState.abortClaims(NOTIFIED)).isTrue();
    }

    @Test
    void abort_running_leavesTheTaskToItsPoller() {
        assertThat(TaskState.abort(RUNNING)).isEqualTo(RUNNING | CANCELLED);
        assertThat(TaskState.abortClaims(RUNNING)).isFalse();
    }

    @Test
    void abort_completeOrAlreadyCancelled_doesNothing() {
        allWords().filter(s -> (s & (COMPLETE | CANCELLED)) != 0)
                .forEach(s -> assertThat(TaskState.abort(s)).as(TaskState.toString(s))
                        .isEqualTo(NO_CHANGE));
    }

    @Test
    void registerWaiter_setsBitUnlessComplete() {
        assertThat(TaskState.registerWaiter(RUNNING)).isEqualTo(RUNNING | JOIN_WAITERS);
        assertThat(TaskState.registerWaiter(COMPLETE)).isEqualTo(NO_CHANGE);
    }

    @Test
    void completeWord_isFrozenByEveryTransition() {
        allWords().filter(s -> (s & COMPLETE) != 0).forEach(s -> {
            assertThat(TaskState.wake(s)).isEqualTo(NO_CHANGE);
            assertThat(TaskState.claim(s)).isEqualTo(NO_CHANGE);
            assertThat(TaskState.abort(s)).isEqualTo(NO_CHANGE);
            assertThat(TaskState.registerWaiter(s)).isEqualTo(NO_CHANGE);
        });
    }

    @Test
    void toString_namesTheBits() {
        assertThat(TaskState.toString(IDLE)).isEqualTo("IDLE");
        assertThat(TaskState.toString(RUNNING | NOTIFIED)).isEqualTo("RUNNING|NOTIFIED");
    }
}
