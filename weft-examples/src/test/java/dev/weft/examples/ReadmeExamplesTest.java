package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import dev.weft.Priority;
import dev.weft.TaskOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The README's examples, as written there, so that they keep compiling and keep being true. Each
 * example in the README names its test here in a comment before it, which
 * {@link DocExamplesCoverageTest} checks.
 */
class ReadmeExamplesTest {

    @Test
    void aFirstExample() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
                JoinHandle<String> greeting = runtime.spawn(
                        Async.sleep(Duration.ofMillis(50)).map(v -> "hello"));
                JoinHandle<Integer> answer = runtime.spawn(
                        TaskOptions.priority(Priority.HIGH).name("answer"),
                        Async.ready(41).map(x -> x + 1));
                Async.Pair<String, Integer> both = runtime.blockOn(
                        Async.join(greeting.timeout(Duration.ofSeconds(1)), answer));
                System.out.println(both.first() + " " + both.second()); // hello 42
            }
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualToIgnoringNewLines("hello 42");
    }
}
