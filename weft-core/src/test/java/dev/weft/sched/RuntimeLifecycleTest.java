package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.RuntimeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lifecycle state machine of seed 3.2.4.1.2: exactly four transitions. */
class RuntimeLifecycleTest {

    @Test
    void walksTheFourTransitionsInOrder() throws InterruptedException {
        RuntimeLifecycle lifecycle = new RuntimeLifecycle("test");
        RuntimeState[] states = RuntimeState.values();
        assertThat(lifecycle.state()).isEqualTo(RuntimeState.UNINITIALIZED);
        for (int i = 1; i < states.length; i++) {
            lifecycle.transition(states[i - 1], states[i]);
            assertThat(lifecycle.state()).isEqualTo(states[i]);
        }
        assertThat(lifecycle.awaitTerminated(System.nanoTime())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(RuntimeState.class)
    void everyOtherTransition_isAnIllegalStateNamingBothStates(RuntimeState from) {
        for (RuntimeState to : RuntimeState.values()) {
            if (to.ordinal() == from.ordinal() + 1) {
                assertThat(from.canTransitionTo(to)).isTrue();
                continue;
            }
            assertThat(from.canTransitionTo(to)).isFalse();
            RuntimeLifecycle lifecycle = new RuntimeLifecycle("test");
            assertThatThrownBy(() -> lifecycle.transition(from, to))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(from + " -> " + to);
        }
    }

    @Test
    void aValidTransitionFromTheWrongState_isRefusedNamingTheCurrentState() {
        RuntimeLifecycle lifecycle = new RuntimeLifecycle("test");
        assertThatThrownBy(() -> lifecycle.transition(RuntimeState.RUNNING,
                        RuntimeState.SHUTTING_DOWN)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RUNNING -> SHUTTING_DOWN")
                .hasMessageContaining("is UNINITIALIZED");
        assertThat(lifecycle.tryTransition(RuntimeState.RUNNING, RuntimeState.SHUTTING_DOWN))
                .isFalse();
    }

    @Test
    void awaitTerminated_timesOutWhileRunning() throws InterruptedException {
        RuntimeLifecycle lifecycle = new RuntimeLifecycle("test");
        assertThat(lifecycle.awaitTerminated(System.nanoTime() + 1_000_000)).isFalse();
        assertThat(lifecycle.awaitTerminated(Long.MIN_VALUE)).as("a deadline long past").isFalse();
    }

    @Test
    void awaitTerminated_onceTerminated_returnsTrue_evenInterrupted_orWithADeadlinePast()
            throws InterruptedException {
        RuntimeLifecycle lifecycle = new RuntimeLifecycle("test");
        RuntimeState[] states = RuntimeState.values();
        for (int i = 1; i < states.length; i++) {
            lifecycle.transition(states[i - 1], states[i]);
        }
        Thread.currentThread().interrupt();
        try {
            assertThat(lifecycle.awaitTerminated(System.nanoTime() - 1)).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void awaitTerminated_interrupted_throws() {
        RuntimeLifecycle lifecycle = new RuntimeLifecycle("test");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> lifecycle.awaitTerminated(Long.MAX_VALUE))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
