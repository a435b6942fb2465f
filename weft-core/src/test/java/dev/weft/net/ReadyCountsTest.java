package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Poll;
import org.junit.jupiter.api.Test;

/** The shared ready polls of byte counts: the right value, one instance per kept count. */
class ReadyCountsTest {

    @Test
    void everyCount_isReadyWithItsValue_andKeptCountsAreMadeOnce() {
        for (int count : new int[] {-1, 0, 1, 127, 128, 1023, 1024, 16_384, 65_535}) {
            Poll<Integer> first = ReadyCounts.of(count);
            assertThat(first.isReady()).isTrue();
            assertThat(first.value()).isEqualTo(count);
            assertThat(ReadyCounts.of(count)).isSameAs(first);
        }
        for (int count : new int[] {65_536, 1_000_000, Integer.MAX_VALUE}) {
            assertThat(ReadyCounts.of(count).value()).isEqualTo(count);
        }
    }
}
