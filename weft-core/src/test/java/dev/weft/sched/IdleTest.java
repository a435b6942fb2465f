package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The searching and parked accounting of Idle, single-threaded. */
class IdleTest {

    @Test
    void atMostHalfTheWorkersSearch() {
        Idle idle = new Idle(4);
        assertThat(idle.tryStartSearching()).isTrue();
        assertThat(idle.tryStartSearching()).isTrue();
        assertThat(idle.tryStartSearching()).as("2 of 4 search already").isFalse();
        assertThat(idle.counts()).containsExactly(2, 4);
        assertThat(idle.stopSearching()).isFalse();
        assertThat(idle.stopSearching()).as("the last searcher").isTrue();
    }

    @Test
    void newWork_wakesASleeper_onlyWhenNobodySearches() {
        Idle idle = new Idle(2);
        assertThat(idle.workerToWake()).as("nobody sleeps").isEqualTo(-1);
        assertThat(idle.park(0, false)).isFalse();
        assertThat(idle.isParked(0)).isTrue();
        assertThat(idle.tryStartSearching()).isTrue(); // worker 1 searches
        assertThat(idle.workerToWake()).as("a searcher will find it").isEqualTo(-1);
        assertThat(idle.park(1, true)).as("worker 1 was the last searcher").isTrue();
        assertThat(idle.counts()).containsExactly(0, 0);
        int woken = idle.workerToWake();
        assertThat(woken).isIn(0, 1);
        assertThat(idle.isParked(woken)).isFalse();
        assertThat(idle.counts()).as("the woken worker searches").containsExactly(1, 1);
        assertThat(idle.workerToWake()).as("one searcher is enough").isEqualTo(-1);
    }
}
