package dev.weft.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts the voluntary context switches of this process's threads whose names start with a
 * prefix, from Linux's {@code /proc/self/task/<tid>/status}: each one is a thread that went to
 * sleep (parked, or waited in a selector) and was woken again, which is what a server pays per
 * message when it cannot keep busy.
 */
final class ThreadSwitches {

    private static final Path TASKS = Path.of("/proc/self/task");

    private ThreadSwitches() {
    }

    /** Whether the counts can be read here (Linux). */
    static boolean available() {
        return Files.isDirectory(TASKS);
    }

    /**
     * Returns the sum of the voluntary context switches of the live threads named
     * {@code prefix...}; 0 where {@link #available()} is false.
     */
    static long voluntary(String prefix) {
        if (!available()) {
            return 0;
        }
        long sum = 0;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                sum += voluntary(task, prefix);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + TASKS, e);
        }
        return sum;
    }

    private static long voluntary(Path task, String prefix) {
        try {
            List<String> status = Files.readAllLines(task.resolve("status"));
            if (!status.get(0).startsWith("Name:\t" + prefix)) {
                return 0;
            }
            for (String line : status) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            throw new IllegalStateException(task + "/status has no voluntary_ctxt_switches");
        } catch (IOException e) {
            // The thread ended between the listing and the read: it no longer counts.
            return 0;
        }
    }
}
