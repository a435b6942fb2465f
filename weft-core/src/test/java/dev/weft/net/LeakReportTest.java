package dev.weft.net;

import static dev.weft.net.TcpEchoTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Await;
import dev.weft.LogCapture;
import java.io.IOException;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/** A socket the garbage collector finds unclosed is closed, and reported once (System.Logger). */
class LeakReportTest {

    @Test
    void anUnclosedListener_collected_isClosedAndReportedOnce() throws IOException {
        try (LogCapture log = LogCapture.of("dev.weft.net.NetSocket")) {
            WeakReference<TcpListener> leaked = new WeakReference<>(TcpListener.bind(loopback()));
            Await.until("the unclosed listener reported", () -> {
                System.gc();
                return !log.records().isEmpty();
            });
            assertThat(leaked.get()).isNull();
            assertThat(log.records()).hasSize(1);
            assertThat(log.records().get(0).getMessage()).contains("TcpListener")
                    .contains("garbage-collected without being closed");
        }
    }
}
