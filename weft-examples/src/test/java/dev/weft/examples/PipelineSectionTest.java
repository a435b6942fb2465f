package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tour's pipeline section on a small workload: every number and prime through, once. */
class PipelineSectionTest {

    @Test
    void smallRun_passesEveryMessageOnce_andTheSlowConsumerMakesTheOthersWait() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PipelineSection.Result r = new PipelineSection(2, 20_000)
                .run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(r.produced()).isEqualTo(20_000 - 2); // the numbers 2 to 19,999
        assertThat(r.tested()).isEqualTo(r.produced());
        assertThat(r.primes()).isEqualTo(r.expected()).isEqualTo(2_262);
        assertThat(r.consumed()).isEqualTo(r.expected());
        assertThat(r.workerWaits()).as("back-pressure reached the testers").isPositive();
        assertThat(r.metrics().liveTasks()).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("pipeline",
                "tester sends that waited for room", "primes the consumer received");
    }

    @Test
    void theLiveLine_showsBothChannelsFilling() {
        assertThat(PipelineSection.line(1_500_000_000L, 1_234, 56, 64, 8)).isEqualTo(
                "   [ 1.50 s] produced     1,234   consumed      56 primes   numbers channel "
                + "[########] 64/64   primes channel [####....]  8/16");
    }
}
