package dev.weft;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Counts of durations in buckets of a logarithmic scale, as {@link RuntimeMetrics} reports poll
 * times: four buckets per power of two (HdrHistogram's layout with two bits of precision), so a
 * percentile read from it is at most a quarter above the true value, from nanoseconds to days in
 * {@value #BUCKETS} counts. Durations from 2<sup>48</sup> ns (about three days) on share the last
 * bucket, and read back as its lower bound. Immutable; {@link #minus} gives the counts of a window
 * between two snapshots, {@link #plus} merges workers.
 */
public final class Histogram {

    /** Buckets: values up to 2<sup>48</sup> ns (about three days); above go in the last. */
    public static final int BUCKETS = 188;

    private static final Histogram EMPTY = new Histogram(new long[BUCKETS]);

    private final long[] counts;

    private Histogram(long[] counts) {
        this.counts = counts;
    }

    /**
     * A histogram of the given counts, one per bucket.
     *
     * @param counts {@value #BUCKETS} counts, none negative; copied
     * @return the histogram
     * @throws IllegalArgumentException if there are not {@value #BUCKETS} counts, or one is
     *                                  negative
     */
    public static Histogram of(long[] counts) {
        Objects.requireNonNull(counts, "counts");
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("counts must have " + BUCKETS + " buckets, had "
                    + counts.length);
        }
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("counts[" + i + "] is negative: " + counts[i]);
            }
        }
        return new Histogram(counts.clone());
    }

    /**
     * A histogram of the given counts of some buckets; the others count nothing.
     *
     * @param buckets the buckets' indices, each once
     * @param counts  their counts, none negative, in the same order
     * @return the histogram
     * @throws IllegalArgumentException if the arrays differ in length, a bucket is out of range
     *                                  or given twice, or a count is negative
     */
    public static Histogram ofBuckets(int[] buckets, long[] counts) {
        Objects.requireNonNull(buckets, "buckets");
        Objects.requireNonNull(counts, "counts");
        if (buckets.length != counts.length) {
            throw new IllegalArgumentException("buckets and counts differ in length: "
                    + buckets.length + " and " + counts.length);
        }
        long[] all = new long[BUCKETS];
        boolean[] given = new boolean[BUCKETS];
        for (int i = 0; i < buckets.length; i++) {
            int bucket = buckets[i];
            if (bucket < 0 || bucket >= BUCKETS) {
                throw new IllegalArgumentException("buckets[" + i + "] is out of 0.."
                        + (BUCKETS - 1) + ": " + bucket);
            }
            if (counts[i] < 0) {
                throw new IllegalArgumentException("counts[" + i + "] is negative: " + counts[i]);
            }
            if (given[bucket]) {
                throw new IllegalArgumentException("bucket " + bucket + " is given twice");
            }
            given[bucket] = true;
            all[bucket] = counts[i];
        }
        return new Histogram(all);
    }

    /**
     * The histogram that counted nothing.
     *
     * @return the empty histogram
     */
    public static Histogram empty() {
        return EMPTY;
    }

    /**
     * The bucket that counts a duration of {@code nanos}.
     *
     * @param nanos a duration in nanoseconds; negative ones count as 0
     * @return the bucket's index, 0 to {@value #BUCKETS} - 1
     */
    public static int bucketOf(long nanos) {
        if (nanos < 4) {
            return (int) Math.max(0, nanos);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos); // 2 or more
        int sub = (int) (nanos >>> (exponent - 2)) & 3;
        return Math.min(BUCKETS - 1, 4 * (exponent - 1) + sub);
    }

    /**
     * The largest duration a bucket counts (the last bucket's is its smallest).
     *
     * @param bucket the bucket's index
     * @return its upper bound, in nanoseconds
     */
    public static long upperBoundOf(int bucket) {
        Objects.checkIndex(bucket, BUCKETS);
        if (bucket < 4) {
            return bucket;
        }
        int exponent = bucket / 4 + 1;
        long lower = (4L + bucket % 4) << (exponent - 2);
        return bucket == BUCKETS - 1 ? lower : lower + (1L << (exponent - 2)) - 1;
    }

    /**
     * The count of one bucket.
     *
     * @param bucket the bucket's index
     * @return the durations it counted
     */
    public long count(int bucket) {
        return counts[Objects.checkIndex(bucket, BUCKETS)];
    }

    /**
     * All durations counted.
     *
     * @return the total count
     */
    public long count() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * The duration that {@code fraction} of the counted ones do not exceed, as the upper bound
     * of its bucket: an overestimate by at most a quarter.
     *
     * @param fraction between 0 and 1, such as 0.99 for the 99th percentile
     * @return the percentile, or {@link Duration#ZERO} if nothing was counted
     * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
     */
    public Duration percentile(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be between 0 and 1, was "
                    + fraction);
        }
        long total = count();
        if (total == 0) {
            return Duration.ZERO;
        }
        // Decimal, not binary, arithmetic: 0.07 x 100 is 7, where doubles make it 7.000000000000001
        // and the ceiling one rank too high.
        long rank = Math.max(1, new BigDecimal(Double.toString(fraction))
                .multiply(BigDecimal.valueOf(total)).setScale(0, RoundingMode.CEILING)
                .longValueExact());
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Duration.ofNanos(upperBoundOf(i));
            }
        }
        return Duration.ofNanos(upperBoundOf(BUCKETS - 1));
    }

    /**
     * The counts of both histograms together.
     *
     * @param other another histogram
     * @return their sum
     */
    public Histogram plus(Histogram other) {
        long[] sum = counts.clone();
        for (int i = 0; i < BUCKETS; i++) {
            sum[i] += other.counts[i];
        }
        return new Histogram(sum);
    }

    /**
     * The counts made since {@code earlier}, a snapshot of the same histogram taken before.
     *
     * @param earlier the earlier snapshot
     * @return the counts of the window between the two
     * @throws IllegalArgumentException if a bucket of {@code earlier} counts more than this one's
     */
    public Histogram minus(Histogram earlier) {
        long[] window = counts.clone();
        for (int i = 0; i < BUCKETS; i++) {
            window[i] -= earlier.counts[i];
            if (window[i] < 0) {
                throw new IllegalArgumentException("earlier is not an earlier snapshot of this "
                        + "histogram: bucket " + i + " counts " + earlier.counts[i] + " there, "
                        + counts[i] + " here");
            }
        }
        return new Histogram(window);
    }

    /**
     * The sum of histograms.
     *
     * @param histograms the histograms
     * @return their sum; empty if there are none
     */
    static Histogram sum(List<Histogram> histograms) {
        Histogram total = EMPTY;
        for (Histogram h : histograms) {
            total = total.plus(h);
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[count=" + count() + ", p50=" + percentile(0.5) + ", p99="
                + percentile(0.99) + "]";
    }
}
