package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tour's network section on a small workload: every round trip made and checked. */
class NetworkSectionTest {

    @Test
    void smallRun_makesEveryRoundTrip_andLeavesNoSocketOpen() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NetworkSection.Result r = new NetworkSection(2, 20, 50, 64)
                .run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(r.roundTrips()).isEqualTo(1_000);
        assertThat(r.roundTripTimes().getTotalCount()).isEqualTo(1_000);
        assertThat(r.accepted()).isEqualTo(20);
        assertThat(r.failed()).isZero();
        assertThat(r.bytesReceived()).isEqualTo(64_000);
        // The server waited on readiness (a read can also find data without one); every socket
        // is closed at the end.
        assertThat(r.server().io().readinessEvents()).isPositive();
        assertThat(r.server().io().sockets()).isZero();
        assertThat(r.client().io().sockets()).isZero();
        assertThat(r.server().liveTasks()).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("round trips per second",
                "selector wakeups per round trip", "sockets open after shutdown");
    }
}
