package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;
import org.openjdk.jol.vm.VM;

/**
 * Every padded class keeps its hot fields as far from its neighbours as its comments claim, in
 * the layout the running JVM really gives it (read by JOL): at least a cache line of padding
 * between a group of fields written by one thread and the start of the object (whatever the
 * allocator put before it), the other groups, and, where claimed, the end of the object.
 *
 * <p>Padding with fields works only because HotSpot lays out a superclass's fields before its
 * subclass's and never drops an unused field; a JVM that did otherwise fails here.
 */
class PaddingLayoutTest {

    /** A cache line, the least padding the classes claim (8 longs). */
    private static final long LINE = 64;

    /** A group of fields that must sit apart from everything else, and a name for messages. */
    private record Group(String name, Predicate<FieldLayout> member) {
    }

    private static Group fields(String name, String... fieldNames) {
        Set<String> names = Set.of(fieldNames);
        return new Group(name, f -> names.contains(f.name()));
    }

    private static Group declaredBy(String simpleClassName) {
        return new Group("the fields of " + simpleClassName,
                f -> f.hostClass().equals(simpleClassName)
                        || f.hostClass().endsWith("." + simpleClassName)
                        || f.hostClass().endsWith("$" + simpleClassName));
    }

    private static boolean isPadding(FieldLayout f) {
        return f.name().matches("[pqr][0-9][0-9]");
    }

    /**
     * Checks that each group spans no padding field and has at least {@link #LINE} bytes of
     * padding between it and the object's start, the next group, and (if {@code paddedEnd}) the
     * object's end.
     */
    private static void assertPadded(String className, boolean paddedEnd, Group... groups)
            throws ClassNotFoundException {
        ClassLayout layout = ClassLayout.parseClass(Class.forName(className));
        List<long[]> spans = new ArrayList<>();
        for (Group group : groups) {
            List<FieldLayout> members = layout.fields().stream().filter(group.member()).toList();
            assertThat(members).as("%s: %s", className, group.name()).isNotEmpty();
            long start = members.stream().mapToLong(FieldLayout::offset).min().orElseThrow();
            long end = members.stream().mapToLong(f -> f.offset() + f.size()).max().orElseThrow();
            assertThat(layout.fields().stream()
                            .filter(f -> isPadding(f) && f.offset() >= start && f.offset() < end))
                    .as("%s: padding inside %s\n%s", className, group.name(), layout.toPrintable())
                    .isEmpty();
            spans.add(new long[] {start, end});
        }
        spans.sort(Comparator.comparingLong(span -> span[0]));
        long previousEnd = 0;
        for (long[] span : spans) {
            assertThat(span[0] - previousEnd)
                    .as("%s: bytes before the group at offset %d\n%s", className, span[0],
                            layout.toPrintable())
                    .isGreaterThanOrEqualTo(LINE);
            previousEnd = span[1];
        }
        if (paddedEnd) {
            assertThat(layout.instanceSize() - previousEnd)
                    .as("%s: bytes after the last group\n%s", className, layout.toPrintable())
                    .isGreaterThanOrEqualTo(LINE);
        }
    }

    @Test
    void worker_theLifoSlotAndTheWorkersOwnFields_eachOnLinesOfTheirOwn() throws Exception {
        assertPadded("dev.weft.sched.Worker", true, fields("the LIFO slot", "lifoSlot"),
                declaredBy("WorkerFields"));
    }

    @Test
    void workerStats_theCounters() throws Exception {
        assertPadded("dev.weft.sched.WorkerStats", true, declaredBy("WorkerStatsFields"));
    }

    @Test
    void taskCounts_theCounters() throws Exception {
        assertPadded("dev.weft.sched.TaskCounts", true,
                fields("the counters", "spawned", "refused", "completed", "failed", "cancelled"));
    }

    @Test
    void clockReadings_theSharedReading() throws Exception {
        assertPadded("dev.weft.sched.ClockReadings", true, fields("the reading", "latest"));
    }

    @Test
    void injectQueue_theHintsTheWorkersRead_apartFromTheLockAndSizeTheProducersWrite()
            throws Exception {
        assertPadded("dev.weft.sched.InjectQueue", false,
                fields("the hints", "ranks", "oldestStamp"),
                fields("the lock and the size", "lock", "size"));
    }

    @Test
    void localQueue_theIndicesApartFromWhatPrecedesTheQueue() throws Exception {
        assertPadded("dev.weft.sched.LocalQueue", false, fields("the indices", "head", "tail"));
    }

    @Test
    void taskRegistryShard_theLockAndTheList() throws Exception {
        assertPadded("dev.weft.task.TaskRegistry$Shard", true,
                fields("the shard", "lock", "head", "closed"));
    }

    @Test
    void threadContext_theHolderOfThePollInProgress() throws Exception {
        assertPadded("dev.weft.runtime.ThreadContext", true, fields("the holder", "holder"));
    }

    @Test
    void timerScope_thePromisedReading() throws Exception {
        assertPadded("dev.weft.time.driver.TimerScope", true, declaredBy("TimerScopeFields"));
    }

    @Test
    void timerWheel_itsFields() throws Exception {
        assertPadded("dev.weft.time.driver.TimerWheel", true, declaredBy("TimerWheelFields"));
    }

    /**
     * The wheel's arrays leave {@code PAD} unused elements at each end: a line of references at
     * least.
     */
    @Test
    void timerWheel_theArraysPadding_coversALineOfReferences() throws Exception {
        java.lang.reflect.Field padField =
                Class.forName("dev.weft.time.driver.TimerWheelFields").getDeclaredField("PAD");
        padField.setAccessible(true);
        int pad = padField.getInt(null);
        assertThat((long) pad * VM.current().arrayIndexScale("java.lang.Object"))
                .isGreaterThanOrEqualTo(LINE);
    }
}
