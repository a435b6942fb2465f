package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * File-descriptor exhaustion, in a child JVM under {@code ulimit -n 256} (so the test's own JVM
 * keeps its descriptors): an accept fails with the JDK's "Too many open files", the runtime lives
 * on, and the listener accepts again once descriptors are free ({@link FdExhaustionChild}).
 */
class FdExhaustionTest {

    @Test
    void anAcceptWithoutDescriptors_failsClearly_andTheListenerAcceptsOnceTheyAreFree()
            throws IOException, InterruptedException {
        Path bash = Path.of("/bin/bash");
        assumeTrue(Files.isExecutable(bash), "no /bin/bash here to set ulimit -n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(bash.toString(), "-c",
                "ulimit -n 256 && exec \"$0\" -cp \"$1\" dev.weft.net.FdExhaustionChild",
                java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).as(output).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("descriptors taken: ")
                .contains("accept failed: java.io.IOException: Too many open files")
                .contains("runtime alive: 42")
                .contains("accepted again, read 7");
    }
}
