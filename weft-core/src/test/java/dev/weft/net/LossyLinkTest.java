package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A large transfer over a lossy, delayed link arrives whole: a child JVM
 * ({@link LossyLinkChild}) in a network namespace of its own ({@code unshare --net}) whose
 * loopback {@code tc netem} delays every packet 2 ms (1 ms jitter) and drops 1%. Where the
 * namespace or netem is not available (no root, or a kernel without {@code sch_netem}), the test
 * is skipped and says why.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LossyLinkTest {

    /** The exit status of the shell when the link could not be set up. */
    private static final int NO_LINK = 77;

    @Test
    void eightMegabytes_overALossyDelayedLink_arriveWhole()
            throws IOException, InterruptedException {
        for (String tool : new String[] {"/usr/bin/unshare", "/usr/sbin/ip", "/usr/sbin/tc"}) {
            skipUnless(Files.isExecutable(Path.of(tool)), tool + " is not installed");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("/usr/bin/unshare", "--net", "/bin/bash", "-c",
                "{ ip link set lo up && tc qdisc add dev lo root netem delay 2ms 1ms loss 1%; } "
                        + "2>&1 || exit " + NO_LINK + "; "
                        + "exec \"$0\" -cp \"$1\" dev.weft.net.LossyLinkChild",
                java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).as(output).isTrue();
        skipUnless(child.exitValue() != NO_LINK && !output.startsWith("unshare:"),
                "no lossy link here: " + output.strip());

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("received " + LossyLinkChild.BYTES + " of", "crc matches");
    }

    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("LossyLinkTest skipped: " + reason);
        }
        assumeTrue(condition, reason);
    }
}
