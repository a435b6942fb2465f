package dev.weft.net.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.driver.Nanos;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver survives a misbehaving selector, played through its {@link IoDriver.Selection} seam:
 * one that returns early with nothing selected (the epoll spin bug), and one whose select throws.
 * Either way the driver builds a new selector, every registration keeps its interest there, and
 * data that arrives afterwards wakes its reader.
 */
class IoDriverSurvivalTest {

    private Pipe pipe;

    @BeforeEach
    void openPipe() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
    }

    @AfterEach
    void closePipe() throws IOException {
        pipe.sink().close();
        pipe.source().close();
    }

    /** Registers the pipe's source and leaves a reader waiting on it, its interest armed. */
    private Registration waitingReader(IoDriver driver, AtomicInteger wakes) throws IOException {
        Registration r = driver.register(pipe.source(), SelectionKey.OP_READ, 0);
        long observed = r.pollReady(Registration.READABLE, wakes::incrementAndGet);
        assertThat(pipe.source().read(ByteBuffer.allocate(1))).isZero(); // would block
        r.clearReadiness(Registration.READABLE, observed);
        assertThat(r.pollReady(Registration.READABLE, wakes::incrementAndGet))
                .isEqualTo(Registration.NOT_READY);
        assertThat(r.key().interestOps()).isEqualTo(SelectionKey.OP_READ);
        return r;
    }

    private void dataArrives_andWakesTheReader(IoDriver driver, AtomicInteger wakes)
            throws IOException {
        pipe.sink().write(ByteBuffer.wrap(new byte[] {42}));
        assertThat(driver.select(Nanos.FOREVER)).isEqualTo(1);
        assertThat(wakes.get()).isEqualTo(1);
    }

    @Test
    void aSelectorThatSpins_isReplaced_keepingTheRegistrationAndItsInterest() throws IOException {
        AtomicInteger spinsLeft = new AtomicInteger(IoDriver.SPIN_THRESHOLD);
        IoDriver driver = new IoDriver(new Playing() {
            @Override
            public int select(Selector s, Consumer<SelectionKey> action, long timeoutMs)
                    throws IOException {
                // The bug: the select returns at once, with nothing selected and nobody waking it.
                return spinsLeft.getAndDecrement() > 0 ? s.selectNow(action)
                        : s.select(action, timeoutMs);
            }
        }, () -> { });
        AtomicInteger wakes = new AtomicInteger();
        Registration r = waitingReader(driver, wakes);
        Selector first = r.key().selector();
        assertThat(driver.tryAcquire()).isTrue();

        for (int i = 0; i < IoDriver.SPIN_THRESHOLD - 1; i++) {
            driver.select(TimeUnit.SECONDS.toNanos(10));
        }
        assertThat(r.key().selector()).as("rebuilt before the 512th spin").isSameAs(first);
        driver.select(TimeUnit.SECONDS.toNanos(10));

        assertThat(r.key().selector()).isNotSameAs(first);
        assertThat(first.isOpen()).isFalse();
        assertThat(r.key().interestOps()).isEqualTo(SelectionKey.OP_READ);
        assertThat(wakes.get()).isZero();
        dataArrives_andWakesTheReader(driver, wakes);
        driver.close();
    }

    @Test
    void selectsThatWaitTheirTimeOut_areNotSpins() throws IOException {
        AtomicInteger selects = new AtomicInteger();
        IoDriver driver = new IoDriver(new Playing() {
            @Override
            public int select(Selector s, Consumer<SelectionKey> action, long timeoutMs)
                    throws IOException {
                selects.incrementAndGet();
                return s.select(action, timeoutMs);
            }
        }, () -> { });
        AtomicInteger wakes = new AtomicInteger();
        Registration r = waitingReader(driver, wakes);
        Selector first = r.key().selector();
        assertThat(driver.tryAcquire()).isTrue();

        for (int i = 0; i < IoDriver.SPIN_THRESHOLD + 10; i++) {
            driver.select(TimeUnit.MICROSECONDS.toNanos(1)); // a 1 ms select, waited in full
        }
        assertThat(selects.get()).isEqualTo(IoDriver.SPIN_THRESHOLD + 10);
        assertThat(r.key().selector()).isSameAs(first);
        driver.close();
    }

    @Test
    void aSelectThatThrows_isReplaced_keepingTheRegistrationAndItsInterest() throws IOException {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        IoDriver driver = new IoDriver(new Playing() {
            @Override
            public int select(Selector s, Consumer<SelectionKey> action, long timeoutMs)
                    throws IOException {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IOException("planted: the select failed");
                }
                return s.select(action, timeoutMs);
            }
        }, () -> { });
        AtomicInteger wakes = new AtomicInteger();
        Registration r = waitingReader(driver, wakes);
        Selector first = r.key().selector();
        assertThat(driver.tryAcquire()).isTrue();

        assertThat(driver.select(Nanos.FOREVER)).isZero();

        assertThat(r.key().selector()).isNotSameAs(first);
        assertThat(r.key().interestOps()).isEqualTo(SelectionKey.OP_READ);
        dataArrives_andWakesTheReader(driver, wakes);
        driver.close();
    }

    /** A selection that plays a blocking select its own way, and leaves the rest alone. */
    private abstract static class Playing implements IoDriver.Selection {
        @Override
        public int selectNow(Selector s, Consumer<SelectionKey> action) throws IOException {
            return s.selectNow(action);
        }

        @Override
        public void wakeup(Selector s) {
            s.wakeup();
        }
    }
}
