package dev.weft.sync;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The two Lincheck runs the primitives' tests make, with the one budget they share: 3 threads of
 * 3 operations each, 30 scenarios, 500 interleavings each when model checking, 1,000 runs each
 * under stress.
 */
final class LincheckRuns {

    private LincheckRuns() {
    }

    /**
     * Model-checks {@code test}'s operations against {@code model}.
     *
     * @param test  the test class, whose operations Lincheck calls
     * @param model the sequential specification
     */
    static void modelCheck(Class<?> test, Class<?> model) {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(500).threads(3)
                .actorsPerThread(3).sequentialSpecification(model).check(test);
    }

    /**
     * Runs {@code test}'s operations on real threads, checking each result against
     * {@code model}.
     *
     * @param test  the test class, whose operations Lincheck calls
     * @param model the sequential specification
     */
    static void stress(Class<?> test, Class<?> model) {
        new StressOptions().iterations(30).invocationsPerIteration(1_000).threads(3)
                .actorsPerThread(3).sequentialSpecification(model).check(test);
    }
}
