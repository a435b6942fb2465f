package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void everyDuration_fallsInABucketThatHoldsIt_withinAQuarter() {
        int previous = 0;
        for (long v = 0; v < 200_000; v++) {
            int bucket = Histogram.bucketOf(v);
            assertThat(bucket).as("bucket of %d", v).isGreaterThanOrEqualTo(previous);
            previous = bucket;
            long upper = Histogram.upperBoundOf(bucket);
            assertThat(upper).as("upper bound of the bucket of %d", v).isGreaterThanOrEqualTo(v)
                    .isLessThanOrEqualTo(v + v / 4);
            if (bucket > 0) {
                assertThat(Histogram.upperBoundOf(bucket - 1)).as("bucket below %d's", v)
                        .isLessThan(v);
            }
        }
        for (long v = 1L << 20; v > 0 && v < 1L << 48; v = v * 3 + 7) {
            long upper = Histogram.upperBoundOf(Histogram.bucketOf(v));
            assertThat(upper).isGreaterThanOrEqualTo(v).isLessThanOrEqualTo(v + v / 4);
        }
        assertThat(Histogram.bucketOf(-5)).isZero();
        assertThat(Histogram.bucketOf(Long.MAX_VALUE)).isEqualTo(Histogram.BUCKETS - 1);
        assertThat(Histogram.bucketOf((1L << 48) - 1)).isEqualTo(Histogram.BUCKETS - 1);
    }

    private static Histogram of(long... durations) {
        long[] counts = new long[Histogram.BUCKETS];
        for (long d : durations) {
            counts[Histogram.bucketOf(d)]++;
        }
        return Histogram.of(counts);
    }

    @Test
    void percentiles_countsAndWindows() {
        long[] durations = new long[100];
        for (int i = 0; i < 100; i++) {
            durations[i] = (i + 1) * 1_000_000L; // 1 ms .. 100 ms
        }
        Histogram h = of(durations);
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.percentile(0.5).toNanos()).isBetween(50_000_000L, 62_500_000L);
        assertThat(h.percentile(0.99).toNanos()).isBetween(99_000_000L, 123_750_000L);
        assertThat(h.percentile(0).toNanos()).isBetween(1_000_000L, 1_250_000L);
        assertThat(Histogram.empty().percentile(0.99)).isEqualTo(Duration.ZERO);
        // The 7th of 100 is the 7th, not the 8th (binary 0.07 x 100 is a little above 7).
        long[] ranks = new long[100];
        for (int i = 0; i < 100; i++) {
            ranks[i] = 1L << (i / 7 + 4); // 7 equal values per power of two
        }
        assertThat(of(ranks).percentile(0.07).toNanos()).as("the bucket of 16, not of 32")
                .isEqualTo(Histogram.upperBoundOf(Histogram.bucketOf(16)));

        Histogram later = h.plus(of(500_000_000L));
        assertThat(later.count()).isEqualTo(101);
        assertThat(later.minus(h)).isEqualTo(of(500_000_000L));
        assertThat(later.minus(h).percentile(0.5).toNanos()).isBetween(500_000_000L,
                625_000_000L);
    }

    @Test
    void badInput_isRefusedNamingIt() {
        assertThatThrownBy(() -> Histogram.of(new long[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("had 3");
        long[] negative = new long[Histogram.BUCKETS];
        negative[7] = -1;
        assertThatThrownBy(() -> Histogram.of(negative))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counts[7]");
        assertThatThrownBy(() -> of(5).percentile(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> of(5).minus(of(5, 6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("earlier");
        assertThatThrownBy(() -> Histogram.ofBuckets(new int[] {1, 1}, new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> Histogram.ofBuckets(new int[] {1, 1}, new long[] {0, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> Histogram.ofBuckets(new int[] {Histogram.BUCKETS},
                new long[] {1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("buckets[0]");
        assertThatThrownBy(() -> Histogram.ofBuckets(new int[] {3}, new long[] {-2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counts[0]");
        assertThatThrownBy(() -> Histogram.ofBuckets(new int[] {3}, new long[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
        assertThat(Histogram.ofBuckets(new int[] {9, 2}, new long[] {4, 1}))
                .isEqualTo(of(2, 10, 10, 11, 11));
        assertThatThrownBy(() -> Histogram.upperBoundOf(Histogram.BUCKETS))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
