package dev.weft.examples;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.function.IntUnaryOperator;

/**
 * The tour's unit of checkable work: counts the primes in [from, to), a slice of numbers per
 * poll, waking itself in between (a yield: back of the queue, so every job makes progress).
 */
final class PrimeCount implements Future<Long> {
    private int next;
    private final int to;
    private final int slice;
    private long count;

    PrimeCount(int from, int to, int slice) {
        this.next = from;
        this.to = to;
        this.slice = slice;
    }

    @Override
    public Poll<Long> poll(Context cx) {
        int end = Math.min(to, next + slice);
        for (; next < end; next++) {
            if (isPrime(next)) {
                count++;
            }
        }
        if (next >= to) {
            return Poll.ready(count);
        }
        cx.waker().wake();
        return Poll.pending();
    }

    /**
     * Splits [0, limit) into contiguous ranges, one per job, sized by weight.
     *
     * @param jobs   how many ranges
     * @param limit  the end of the last range
     * @param weight a job's index to its relative size (at least 1)
     * @return jobs + 1 bounds: job j covers [bounds[j], bounds[j + 1])
     */
    static int[] rangeBounds(int jobs, int limit, IntUnaryOperator weight) {
        long total = 0;
        for (int j = 0; j < jobs; j++) {
            total += weight.applyAsInt(j);
        }
        int[] bounds = new int[jobs + 1];
        long acc = 0;
        for (int j = 0; j < jobs; j++) {
            acc += weight.applyAsInt(j);
            bounds[j + 1] = (int) (acc * limit / total);
        }
        return bounds;
    }

    static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        if (n % 3 == 0) {
            return n == 3;
        }
        for (int d = 5; (long) d * d <= n; d += 6) {
            if (n % d == 0 || n % (d + 2) == 0) {
                return false;
            }
        }
        return true;
    }
}
