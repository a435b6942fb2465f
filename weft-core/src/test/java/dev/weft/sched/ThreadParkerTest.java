package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.driver.Nanos;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parker's permit protocol: no lost unpark, timeouts end the wait, interrupts are reported. */
class ThreadParkerTest {

    private static final int ROUNDS = 50_000;

    /**
     * Two threads hand a turn back and forth, each parking until it is its turn and unparking the
     * other after taking it. A single lost unpark leaves both parked for ever, and the bounded
     * join fails.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pingPong_neverLosesAnUnpark() throws InterruptedException {
        ThreadParker[] parkers = {new ThreadParker(), new ThreadParker()};
        AtomicLong turn = new AtomicLong();
        Thread[] players = new Thread[2];
        for (int p = 0; p < 2; p++) {
            int me = p;
            players[p] = new Thread(() -> {
                for (long round = me; round < 2L * ROUNDS; round += 2) {
                    while (turn.get() != round) {
                        parkers[me].park(Nanos.FOREVER);
                    }
                    turn.set(round + 1);
                    parkers[1 - me].unpark();
                }
            }, "player-" + p);
            players[p].setDaemon(true);
            players[p].start();
        }
        for (Thread t : players) {
            t.join(TimeUnit.SECONDS.toMillis(50));
            assertThat(t.isAlive())
                    .as(t.getName() + " stalled: an unpark was lost at turn " + turn.get())
                    .isFalse();
        }
        assertThat(turn.get()).isEqualTo(2L * ROUNDS);
    }

    @Test
    void unparkBeforePark_makesTheParkReturnAtOnce() {
        ThreadParker parker = new ThreadParker();
        parker.unpark();
        parker.unpark(); // permits do not accumulate
        assertThat(parker.park(Nanos.FOREVER)).isFalse();
    }

    @Test
    void park_withATimeout_returnsWhenItElapses() {
        ThreadParker parker = new ThreadParker();
        assertThat(parker.park(1_000_000)).isFalse();
    }

    @Test
    void park_whileInterrupted_returnsAtOnce_reportingAndClearingTheInterrupt() {
        ThreadParker parker = new ThreadParker();
        Thread.currentThread().interrupt();
        assertThat(parker.park(Nanos.FOREVER)).as("no unpark comes: only the interrupt ends it")
                .isTrue();
        assertThat(Thread.interrupted()).isFalse();
        parker.unpark();
        assertThat(parker.park(Nanos.FOREVER)).as("the permit protocol goes on").isFalse();
    }
}
