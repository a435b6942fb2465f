package dev.weft.net.driver;

import static dev.weft.Scenario.check;
import static dev.weft.Scenario.join;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The readiness protocol of a registration, model-checked with {@code Lincheck.runConcurrentTest}:
 * a reader that finds nothing and goes to wait, racing the selecting thread that reports the
 * channel ready; the ABA of a reader clearing readiness just as new data arrives; and a close
 * racing a pending read. A "channel" here is a counter of bytes available, so that the checks are
 * about the protocol alone: after every interleaving, the reader has either consumed the data, or
 * been woken to come for it. (The registration is not keyed to a selector: interest is the
 * selector's business, tested with real sockets elsewhere.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RegistrationRaceTest {

    private static final int INTERLEAVINGS = 300;

    /** A reader's attempt: read if ready, else clear and look again, else wait. */
    private static boolean readOrWait(Registration r, AtomicInteger available,
            AtomicInteger wakes) {
        while (true) {
            long observed = r.pollReady(Registration.READABLE, wakes::incrementAndGet);
            if (observed == Registration.NOT_READY) {
                return false; // waits for its waker
            }
            if (available.getAndSet(0) > 0 || r.isClosed()) {
                return true; // read something (or found the channel closed)
            }
            r.clearReadiness(Registration.READABLE, observed); // would block
        }
    }

    /** Data arrives, then the selecting thread reports it and wakes who waits. */
    private static void dataArrives(Registration r, AtomicInteger available) {
        available.incrementAndGet();
        Wakers woken = new Wakers();
        r.onReady(SelectionKey.OP_READ, woken);
        woken.wakeAll();
    }

    private static Registration unkeyed() {
        try {
            Pipe.SourceChannel source = Pipe.open().source();
            return new Registration(new IoDriver(() -> { }), source, SelectionKey.OP_READ, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aReaderGoingToWait_racingAReport_neverMissesTheData() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Registration r = unkeyed();
            // The first read found nothing: readiness cleared, as a real would-block does.
            r.clearReadiness(Registration.READABLE, r.pollReady(Registration.READABLE, () -> { }));
            AtomicInteger available = new AtomicInteger();
            AtomicInteger wakes = new AtomicInteger();
            AtomicBoolean consumed = new AtomicBoolean();
            Thread reader = new Thread(() -> consumed.set(readOrWait(r, available, wakes)));
            Thread selecting = new Thread(() -> dataArrives(r, available));
            reader.start();
            selecting.start();
            join(reader, selecting);
            check(consumed.get() || wakes.get() > 0,
                    "the data came, the reader neither read it nor was woken");
        });
    }

    /**
     * The ABA case: a reader saw readiness, its read found nothing (the data of that report was
     * consumed), and new data is reported as it clears: the clear must not erase the new report.
     */
    @Test
    void aReaderClearingReadiness_racingANewReport_doesNotEraseIt() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Registration r = unkeyed();
            AtomicInteger available = new AtomicInteger();
            AtomicInteger wakes = new AtomicInteger();
            AtomicBoolean consumed = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                long observed = r.pollReady(Registration.READABLE, wakes::incrementAndGet);
                if (observed != Registration.NOT_READY && available.getAndSet(0) > 0) {
                    consumed.set(true);
                    return;
                }
                if (observed != Registration.NOT_READY) {
                    r.clearReadiness(Registration.READABLE, observed); // would block... or stale?
                }
                consumed.set(readOrWait(r, available, wakes));
            });
            Thread selecting = new Thread(() -> dataArrives(r, available));
            reader.start();
            selecting.start();
            join(reader, selecting);
            check(consumed.get() || wakes.get() > 0,
                    "a stale clear erased a newer report: the data is stranded");
        });
    }

    @Test
    void aCloseRacingAPendingRead_wakesTheReaderOrIsSeenByIt() {
        Lincheck.runConcurrentTest(INTERLEAVINGS, () -> {
            Registration r = unkeyed();
            r.clearReadiness(Registration.READABLE, r.pollReady(Registration.READABLE, () -> { }));
            AtomicInteger available = new AtomicInteger();
            AtomicInteger wakes = new AtomicInteger();
            AtomicBoolean sawClosed = new AtomicBoolean();
            Thread reader = new Thread(() -> sawClosed.set(readOrWait(r, available, wakes)));
            Thread closer = new Thread(r::close);
            reader.start();
            closer.start();
            join(reader, closer);
            check(sawClosed.get() || wakes.get() > 0,
                    "the close neither woke the reader nor was seen by it");
        });
    }
}
