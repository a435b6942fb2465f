package dev.weft.net;

import static dev.weft.net.TcpEchoTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A socket the garbage collector finds unclosed is closed, and reported once (System.Logger). */
class LeakReportTest {

    @Test
    void anUnclosedListener_collected_isClosedAndReportedOnce() throws IOException {
        // System.Logger's default backend
        Logger logger = Logger.getLogger("dev.weft.net.NetSocket");
        List<String> reports = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                reports.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            WeakReference<TcpListener> leaked = new WeakReference<>(TcpListener.bind(loopback()));
            long giveUp = System.nanoTime() + 20_000_000_000L;
            while (reports.isEmpty() && System.nanoTime() - giveUp < 0) {
                System.gc();
                LockSupport.parkNanos(10_000_000);
            }
            assertThat(leaked.get()).isNull();
            assertThat(reports).hasSize(1);
            assertThat(reports.get(0)).contains("TcpListener")
                    .contains("garbage-collected without being closed");
        } finally {
            logger.removeHandler(capture);
        }
    }
}
