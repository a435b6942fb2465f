package dev.weft.examples;

import java.io.PrintStream;

/**
 * The tour of Weft: what the runtime does, shown at work. Started by the README's first command:
 * {@code mvn -q -pl weft-examples -am -DskipTests package exec:java}.
 *
 * <p>Each section builds a runtime, gives it a workload, prints progress while it runs and a
 * table of what happened. Sections are added as capabilities land.
 */
public final class Tour {

    private Tour() {
    }

    /**
     * Runs the tour.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        out.println();
        out.println("Weft tour: the runtime at work");
        out.println("==============================");
        out.printf("JDK %s, %d processors%n%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        CurrentThreadSection.Result ct = new CurrentThreadSection(20_000, 12_000_000).run(out);
        if (ct.primes() != ct.expectedPrimes()) {
            throw new IllegalStateException("the tasks counted " + ct.primes()
                    + " primes, the sieve " + ct.expectedPrimes());
        }
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        MultiThreadSection.Result mt = new MultiThreadSection(workers, 4_000, 20_000_000).run(out);
        if (mt.primes() != mt.expectedPrimes()) {
            throw new IllegalStateException("the tasks counted " + mt.primes()
                    + " primes, the sieve " + mt.expectedPrimes());
        }
        PrioritySection.Result prio = new PrioritySection(workers, 50_000).run(out);
        for (PrioritySection.Run run
                : new PrioritySection.Run[] {prio.withPriorities(), prio.fifo()}) {
            if (run.floodDelays().getTotalCount() != prio.floodTasks()
                    || run.metrics().liveTasks() != 0) {
                throw new IllegalStateException("the flood ran "
                        + run.floodDelays().getTotalCount() + " of "
                        + prio.floodTasks() + " tasks: " + run.metrics());
            }
        }
        TimerSection.Result timers = new TimerSection(workers, 20_000).run(out);
        if (timers.lateness().getTotalCount() != 20_000 || timers.earlyWakes() != 0
                || timers.metrics().timers().pending() != 0
                || !timers.slowTimedOut()) {
            throw new IllegalStateException("the timer section went wrong: "
                    + timers.lateness().getTotalCount() + " sleeps woke, "
                    + timers.earlyWakes() + " early; " + timers.metrics().timers());
        }
        NetworkSection.Result net = new NetworkSection(workers, 256, 1_000, 64).run(out);
        if (net.roundTrips() != 256L * 1_000 || net.accepted() != 256 || net.failed() != 0
                || net.server().io().sockets() != 0 || net.client().io().sockets() != 0) {
            throw new IllegalStateException("the network section went wrong: "
                    + net.roundTrips() + " round trips, " + net.accepted() + " connections, "
                    + net.failed() + " failed; server " + net.server().io() + ", client "
                    + net.client().io());
        }
        PipelineSection.Result pipe = new PipelineSection(workers, 300_000).run(out);
        if (pipe.consumed() != pipe.expected() || pipe.primes() != pipe.expected()
                || pipe.tested() != pipe.produced() || pipe.metrics().liveTasks() != 0) {
            throw new IllegalStateException("the pipeline section went wrong: " + pipe);
        }
        out.println("End of the tour.");
    }
}
