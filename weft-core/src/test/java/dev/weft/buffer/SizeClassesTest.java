package dev.weft.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fine size classes: every request gets the smallest class that holds it. */
class SizeClassesTest {

    @Test
    void everyPooledCapacity_getsTheSmallestClassThatHoldsIt() {
        for (int capacity = 1; capacity <= SizeClasses.POOLED_MAX; capacity++) {
            int c = SizeClasses.indexOf(capacity);
            assertThat(SizeClasses.size(c)).as("class of %d", capacity).isGreaterThanOrEqualTo(
                    capacity);
            if (c > 0) {
                assertThat(SizeClasses.size(c - 1)).as("class below that of %d", capacity)
                        .isLessThan(capacity);
            }
        }
    }

    @Test
    void theClasses_runFrom16BytesTo64KiB_inStepsOfAtMostAQuarter() {
        assertThat(SizeClasses.size(0)).isEqualTo(16);
        assertThat(SizeClasses.size(SizeClasses.COUNT - 1)).isEqualTo(SizeClasses.POOLED_MAX);
        for (int c = 1; c < SizeClasses.COUNT; c++) {
            int below = SizeClasses.size(c - 1);
            int size = SizeClasses.size(c);
            assertThat(size).isGreaterThan(below);
            assertThat(size - below).as("step to %d", size).isLessThanOrEqualTo(
                    Math.max(16, below / 4));
        }
    }

    @Test
    void theSeedsTierBoundaries() {
        assertThat(SizeClasses.size(SizeClasses.indexOf(1024))).isEqualTo(1024);
        assertThat(SizeClasses.indexOf(1024)).isEqualTo(SizeClasses.LAST_SMALL);
        assertThat(SizeClasses.indexOf(1025)).isEqualTo(SizeClasses.LAST_SMALL + 1);
        assertThat(SizeClasses.size(SizeClasses.indexOf(1025))).isEqualTo(1280);
        assertThat(SizeClasses.indexOf(65_536)).isEqualTo(SizeClasses.COUNT - 1);
        assertThat(SizeClasses.size(SizeClasses.indexOf(129))).isEqualTo(160);
    }
}
