package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.runtime.RuntimeCore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of the dependencies between weft-core's packages, read by {@code jdeps} from the
 * compiled classes: the public facade reaches the runtime through one seam
 * ({@code dev.weft.runtime}), and nothing below it reaches back. A rule broken anywhere in the
 * main classes fails here, naming the class and what it uses.
 */
class DependencyRulesTest {

    /** One class-to-class dependency, as jdeps prints it. */
    private record Edge(String from, String to) {
        @Override
        public String toString() {
            return from + " -> " + to;
        }
    }

    private static List<Edge> edges;

    @BeforeAll
    static void readDependencies() throws URISyntaxException {
        Path classes = Path.of(RuntimeCore.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError(
                        "jdeps is not in this JDK: the dependency rules cannot be checked"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class",
                "-filter:none", classes.toString());
        assertThat(status).as("jdeps failed: %s", err).isZero();
        edges = new ArrayList<>();
        for (String line : out.toString().split("\\R")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[1].equals("->") && words[0].startsWith("dev.weft.")) {
                edges.add(new Edge(words[0], words[2]));
            }
        }
        assertThat(edges).as("jdeps printed no dependency of weft-core's classes: %s", out)
                .isNotEmpty();
    }

    private static boolean inPackage(String className, String pkg) {
        return className.startsWith(pkg + ".") && className.indexOf('.', pkg.length() + 1) < 0;
    }

    private static boolean isInternal(String className) {
        String pkg = className.substring(0, className.lastIndexOf('.'));
        return pkg.equals("dev.weft.task") || pkg.equals("dev.weft.sched")
                || pkg.equals("dev.weft.runtime")
                || pkg.equals("dev.weft.concurrent") || pkg.equals("dev.weft.jfr")
                || pkg.endsWith(".driver");
    }

    private static boolean isFacade(String className) {
        return className.equals("dev.weft.AsyncRuntime")
                || className.startsWith("dev.weft.AsyncRuntime$")
                || className.equals("dev.weft.Async") || className.startsWith("dev.weft.Async$");
    }

    private static List<Edge> edges(java.util.function.Predicate<Edge> broken) {
        return edges.stream().filter(broken).toList();
    }

    @Test
    void noInternalClass_usesTheFacade() {
        assertThat(edges(e -> isInternal(e.from()) && isFacade(e.to())))
                .as("internal classes using dev.weft.AsyncRuntime or dev.weft.Async").isEmpty();
    }

    @Test
    void theFacade_onlyBuildsASchedulerInItsBuilder_andTalksToItThroughTheSeam() {
        assertThat(edges(e -> inPackage(e.from(), "dev.weft") && inPackage(e.to(), "dev.weft.sched")
                && !(e.from().equals("dev.weft.AsyncRuntime$Builder")
                        && (e.to().equals("dev.weft.sched.MultiThreadRuntime")
                                || e.to().equals("dev.weft.sched.CurrentThreadRuntime")))))
                .as("dev.weft using dev.weft.sched but for the builder constructing a runtime")
                .isEmpty();
    }

    @Test
    void tasks_knowNothingOfTheSchedulers() {
        assertThat(edges(e -> inPackage(e.from(), "dev.weft.task")
                        && inPackage(e.to(), "dev.weft.sched")))
                .as("dev.weft.task using dev.weft.sched").isEmpty();
    }

    @Test
    void theSeam_knowsNoScheduler() {
        assertThat(edges(e -> inPackage(e.from(), "dev.weft.runtime")
                        && inPackage(e.to(), "dev.weft.sched")))
                .as("dev.weft.runtime using dev.weft.sched").isEmpty();
    }

    @Test
    void drivers_knowNeitherTheSchedulersNorTheSeam() {
        assertThat(edges(e -> e.from().contains(".driver.")
                && (inPackage(e.to(), "dev.weft.sched") || inPackage(e.to(), "dev.weft.runtime"))))
                .as("a driver package using dev.weft.sched or dev.weft.runtime").isEmpty();
    }

    @Test
    void theFlightRecorderEvents_dependOnNothingOfWeft() {
        assertThat(edges(e -> inPackage(e.from(), "dev.weft.jfr") && e.to().startsWith("dev.weft.")
                && !inPackage(e.to(), "dev.weft.jfr")))
                .as("dev.weft.jfr using the rest of Weft").isEmpty();
    }

    @Test
    void theConcurrencyBuildingBlocks_dependOnNothingOfWeft() {
        assertThat(edges(e -> inPackage(e.from(), "dev.weft.concurrent")
                        && e.to().startsWith("dev.weft.")
                && !inPackage(e.to(), "dev.weft.concurrent")))
                .as("dev.weft.concurrent using the rest of Weft").isEmpty();
    }
}
