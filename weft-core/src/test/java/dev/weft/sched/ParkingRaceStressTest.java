package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parking racing new work, on real threads: many rounds of one spawn from outside while the
 * workers are going to sleep. A lost notification leaves a task queued for ever.
 */
class ParkingRaceStressTest {

    private static final int ROUNDS = 20_000;

    /** One spawn from outside at a time, joined: the workers park between rounds. */
    @ParameterizedTest(name = "workers={0}, workStealing={1}")
    @CsvSource({"1, true", "1, false", "2, true", "2, false"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void spawnsAsWorkersPark_allRun(int workers, boolean workStealing) {
        AsyncRuntime runtime =
                AsyncRuntime.builder().workerThreads(workers).workStealing(workStealing).build();
        try {
            int sum = 0;
            for (int round = 0; round < ROUNDS; round++) {
                sum += runtime.spawn(Async.ready(1)).join();
            }
            assertThat(sum).isEqualTo(ROUNDS);
        } finally {
            runtime.shutdown(Duration.ZERO);
        }
    }

    /**
     * The tight version: the next task is pushed the moment the previous one has run, while its
     * worker is still on its way to park (between its last look at the queues and counting itself
     * parked). The producer watches a counter, with a bound, instead of joining, so it does not
     * wait for an unpark of its own, and lets a varying delay pass before each spawn.
     */
    @ParameterizedTest(name = "workers={0}, workStealing={1}")
    @CsvSource({"1, true", "1, false", "2, true", "2, false"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void spawnPushedWhileItsWorkerGoesToPark_runs(int workers, boolean workStealing) {
        AsyncRuntime runtime =
                AsyncRuntime.builder().workerThreads(workers).workStealing(workStealing).build();
        AtomicInteger ran = new AtomicInteger();
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                // A delay that sweeps 0 to a few microseconds: the window is somewhere in there.
                for (int spin = round % 256; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                runtime.spawn(Async.ready(0).map(v -> ran.incrementAndGet()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ran.get() < round) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the task of round " + round
                                + " was never run: its wake-up was lost");
                    }
                    Thread.onSpinWait();
                }
            }
            assertThat(ran.get()).isEqualTo(ROUNDS);
        } finally {
            runtime.shutdown(Duration.ofSeconds(1));
        }
    }
}
