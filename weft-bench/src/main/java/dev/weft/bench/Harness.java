package dev.weft.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/** What the latency harnesses (not JMH) share: their arguments, and medians over rounds. */
final class Harness {

    private Harness() {
    }

    /**
     * The median of one figure over the rounds.
     *
     * @param rounds the measured rounds
     * @param figure the figure of a round
     * @param <R>    the rounds' type
     * @return the median
     */
    static <R> long median(List<R> rounds, ToLongFunction<R> figure) {
        long[] values = rounds.stream().mapToLong(figure).toArray();
        Arrays.sort(values);
        return values[values.length / 2];
    }

    /**
     * A positive integer argument.
     *
     * @param args     the command line
     * @param index    the argument's position
     * @param name     its name, for the message
     * @param fallback its value when absent
     * @return the value
     * @throws IllegalArgumentException naming the argument if it is not a positive integer
     */
    static int positive(String[] args, int index, String name, int fallback) {
        if (args.length <= index) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(args[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a positive integer, got '"
                    + args[index] + "'", e);
        }
        if (value <= 0) {
            throw new IllegalArgumentException(name
                    + ": expected a positive integer, got " + value);
        }
        return value;
    }
}
