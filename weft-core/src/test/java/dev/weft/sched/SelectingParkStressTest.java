package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.driver.IoDriver;
import dev.weft.time.driver.Nanos;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wakeup gate of a park in the I/O driver's select, on real threads: an unpark sweeping the
 * window before the park's CAS, between the CAS and the select, and during the select. However the
 * two meet, the park must end: the CAS sees the permit, or the unpark sees the parker selecting
 * and wakes the selector. Nothing is ever ready on the driver's one channel, so only the unpark
 * can end the select. A lost wakeup shows as a round whose park never returns.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SelectingParkStressTest {

    private static final int ROUNDS = 20_000;

    @Test
    void unparkAtAnyPointOfASelectingPark_endsIt() throws Exception {
        IoDriver io = new IoDriver(() -> { });
        Pipe.SourceChannel idle = Pipe.open().source(); // never written to
        idle.configureBlocking(false);
        io.register(idle, SelectionKey.OP_READ, 0);
        ThreadParker parker = new ThreadParker();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger returned = new AtomicInteger();
        Thread selecting = new Thread(() -> {
            if (!io.tryAcquire()) {
                throw new AssertionError("the driver is held by nobody else");
            }
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    while (started.get() < round) {
                        Thread.onSpinWait();
                    }
                    parker.parkSelecting(io, Nanos.FOREVER);
                    returned.set(round);
                }
            } finally {
                io.release();
            }
        }, "selecting-parker");
        selecting.setDaemon(true);
        selecting.start();
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                started.set(round);
                // A delay that sweeps 0 to a few microseconds: the windows are somewhere in there.
                for (int spin = round % 512; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                parker.unpark();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (returned.get() < round) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the park of round " + round
                                + " never returned: the unpark's wakeup was lost");
                    }
                    Thread.onSpinWait();
                }
            }
            selecting.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(selecting.isAlive()).as("the parker's thread ended").isFalse();
            assertThat(parker.selectWakeups())
                    .as("some unparks found the parker in its select and woke it")
                    .isPositive();
        } finally {
            io.wakeup(); // frees a parker left selecting by a failure
            io.close();
            idle.close();
        }
    }
}
