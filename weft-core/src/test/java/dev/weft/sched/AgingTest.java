package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.task.Task;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The starvation policy, once for every queue that applies it (the current-thread runtime's run
 * queue, a worker's pick, the global queue): who counts as starved, which starved task goes
 * first, and how often. Stamps are clock readings, compared by difference, so every case is also
 * tried where the readings wrap around the long range.
 */
class AgingTest {

    private static final long THRESHOLD = 100;
    private final Aging aging = new Aging(THRESHOLD);

    /** Oldest tasks by rank, each carrying its stamp. */
    private static Aging.OldestTasks oldest(Map<Integer, Long> stampsByRank) {
        Map<Integer, Task<?>> tasks = new HashMap<>();
        stampsByRank.forEach((rank, stamp) -> {
            Task<?> task = QueueTasks.task(rank);
            task.stampQueued(stamp);
            tasks.put(rank, task);
        });
        return tasks::get;
    }

    @Test
    void aTaskIsStarved_onceItWaitedTheThreshold_notBefore() {
        for (long base : new long[] {0, 1_000_000, Long.MAX_VALUE - 50, Long.MIN_VALUE + 10, -30}) {
            assertThat(aging.isStarved(base, base + THRESHOLD - 1)).as("from %d", base).isFalse();
            assertThat(aging.isStarved(base, base + THRESHOLD)).as("from %d", base).isTrue();
            assertThat(aging.isStarved(base, base + 10 * THRESHOLD)).as("from %d", base).isTrue();
        }
    }

    @Test
    void aZeroThreshold_starvesEveryTaskBehindTheBest() {
        assertThat(new Aging(0).isStarved(5, 5)).isTrue();
    }

    @Test
    void olderThan_comparesByDifference_acrossTheWrapOfTheLongRange() {
        assertThat(Aging.isOlder(1, 2)).isTrue();
        assertThat(Aging.isOlder(2, 1)).isFalse();
        assertThat(Aging.isOlder(7, 7)).isFalse();
        assertThat(Aging.isOlder(Long.MAX_VALUE, Long.MIN_VALUE))
                .as("MIN_VALUE came one tick after MAX_VALUE").isTrue();
        assertThat(Aging.isOlder(Long.MIN_VALUE, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void onlyWhileTwoRanksWait_andNeverTwiceInARow_isAStarvedTaskLookedFor() {
        int one = 1 << 3;
        int two = (1 << 3) | (1 << 9);
        assertThat(Aging.mayTakeStarved(one, false))
                .as("one rank waits: nothing behind it").isFalse();
        assertThat(Aging.mayTakeStarved(0, false)).isFalse();
        assertThat(Aging.mayTakeStarved(two, false)).isTrue();
        assertThat(Aging.mayTakeStarved(two, true))
                .as("the last pick took a starved task").isFalse();
    }

    @Test
    void oldestRank_isTheRankWhoseOldestTaskWaitedLongest() {
        assertThat(Aging.oldestRank((1 << 2) | (1 << 5) | (1 << 7),
                oldest(Map.of(2, 300L, 5, 100L, 7, 200L)))).isEqualTo(5);
    }

    @Test
    void oldestRank_tiesGoToTheMoreUrgentRank() {
        assertThat(Aging.oldestRank((1 << 4) | (1 << 6), oldest(Map.of(4, 100L, 6, 100L))))
                .isEqualTo(4);
    }

    @Test
    void oldestRank_acrossTheWrap_picksTheEarlierReading() {
        // MAX_VALUE - 5 was read before MIN_VALUE + 5, ten ticks later.
        assertThat(Aging.oldestRank((1 << 1) | (1 << 3),
                        oldest(Map.of(1, Long.MIN_VALUE + 5, 3, Long.MAX_VALUE - 5))))
                .isEqualTo(3);
    }

    @Test
    void oldestRank_skipsRanksEmptiedMeanwhile_andSaysWhenNoneIsLeft() {
        assertThat(Aging.oldestRank((1 << 1) | (1 << 3), oldest(Map.of(3, 40L)))).isEqualTo(3);
        assertThat(Aging.oldestRank((1 << 1) | (1 << 3), oldest(Map.of())))
                .isEqualTo(Aging.NO_RANK);
        assertThat(Aging.oldestRank(0, oldest(Map.of()))).isEqualTo(Aging.NO_RANK);
    }
}
