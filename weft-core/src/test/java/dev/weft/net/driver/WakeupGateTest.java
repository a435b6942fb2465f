package dev.weft.net.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.driver.Nanos;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wakeup gate (Netty's {@code nextWakeupNanos}): however many threads call
 * {@link IoDriver#wakeup()}, the {@code Selector.wakeup()} system call is made at most once per
 * select, since only the call that raises the pending flag makes it, and only a select lowers the
 * flag. Counted through the driver's {@link IoDriver.Selection} seam: over rounds in which two
 * threads each ask for 200 wakeups while the holder selects, the system calls never outnumber the
 * selects by more than one. A driver without the gate makes one per request.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WakeupGateTest {

    private static final int ROUNDS = 200;
    private static final int WAKERS = 2;
    private static final int WAKEUPS_EACH = 200;

    @Test
    void manyWakeupsDuringASelect_costOneSystemCall() throws Exception {
        AtomicInteger selects = new AtomicInteger();
        AtomicInteger systemCalls = new AtomicInteger();
        IoDriver io = new IoDriver(new IoDriver.Selection() {
            @Override
            public int select(Selector s, Consumer<SelectionKey> action, long timeoutMs)
                    throws IOException {
                selects.incrementAndGet();
                return s.select(action, timeoutMs);
            }

            @Override
            public int selectNow(Selector s, Consumer<SelectionKey> action) throws IOException {
                selects.incrementAndGet();
                return s.selectNow(action);
            }

            @Override
            public void wakeup(Selector s) {
                systemCalls.incrementAndGet();
                s.wakeup();
            }
        }, () -> { });
        Pipe.SourceChannel idle = Pipe.open().source(); // never ready: only wakeups end a select
        idle.configureBlocking(false);
        io.register(idle, SelectionKey.OP_READ, 0);
        CyclicBarrier roundStarts = new CyclicBarrier(WAKERS + 1);
        CountDownLatch[] wakersDone = new CountDownLatch[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            wakersDone[i] = new CountDownLatch(WAKERS);
        }
        for (int w = 0; w < WAKERS; w++) {
            Thread waker = new Thread(() -> {
                try {
                    for (int round = 0; round < ROUNDS; round++) {
                        roundStarts.await();
                        for (int i = 0; i < WAKEUPS_EACH; i++) {
                            io.wakeup();
                        }
                        wakersDone[round].countDown();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "waker-" + w);
            waker.setDaemon(true);
            waker.start();
        }
        assertThat(io.tryAcquire()).isTrue();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                roundStarts.await();
                io.select(Nanos.FOREVER); // ended by the round's first wakeup, or a late one
                wakersDone[round].await();
                io.selectNow(); // takes any wakeup that came after the select returned
            }
        } finally {
            io.release();
            io.close();
            idle.close();
        }

        assertThat(systemCalls.get()).isLessThanOrEqualTo(selects.get() + 1);
        assertThat(systemCalls.get()).isGreaterThanOrEqualTo(ROUNDS);
        assertThat(selects.get()).isEqualTo(2 * ROUNDS);
    }
}
