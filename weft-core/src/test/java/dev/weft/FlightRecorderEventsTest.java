package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The runtime's flight recorder events, read back from a recording. */
class FlightRecorderEventsTest {

    /**
     * The events of one type and runtime, in the order they began: a recording keeps each
     * thread's events in a buffer of its own, and a file may give them back buffer by buffer.
     */
    private static List<RecordedEvent> of(List<RecordedEvent> events, String name,
            String runtime) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)
                && runtime.equals(e.getString("runtime")))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
    }

    @Test
    void longPolls_parks_steals_andStateChanges_areRecorded() throws Exception {
        Path file = Files.createTempFile("weft-events", ".jfr");
        ManualClock clock = new ManualClock();
        long steals;
        try (Recording recording = new Recording()) {
            recording.enable("dev.weft.LongPoll");
            recording.enable("dev.weft.WorkerPark").withThreshold(Duration.ZERO);
            recording.enable("dev.weft.Steal");
            recording.enable("dev.weft.RuntimeState");
            recording.start();
            AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).clock(clock)
                    .threadNamePrefix("jfr-").longPollThreshold(Duration.ofMillis(100)).build();
            LongPollTest.Blocker blocker = new LongPollTest.Blocker();
            JoinHandle<String> handle = runtime.spawn(
                    TaskOptions.priority(Priority.NORMAL).name("blocker"), blocker);
            blocker.awaitEntered();
            clock.advance(Duration.ofMillis(1));
            clock.advance(Duration.ofMillis(250));
            blocker.release.countDown();
            assertThat(handle.join()).isEqualTo("done");
            // Tasks spawned from one worker's task, enough that the other worker steals some.
            for (int round = 0; round < 100 && stolen(runtime) == 0; round++) {
                assertThat(runtime.spawn(new FanOut()).join()).isEqualTo(FanOut.TASKS);
            }
            assertThat(runtime.shutdown(Duration.ofSeconds(10))).isTrue();
            steals = stolen(runtime);
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);

        List<RecordedEvent> longPolls = of(events, "dev.weft.LongPoll", "jfr-");
        assertThat(longPolls).hasSize(1);
        assertThat(longPolls.get(0).getString("task")).isEqualTo("task 'blocker'");
        assertThat(longPolls.get(0).getDuration("pollTime")).isEqualTo(Duration.ofMillis(250));

        assertThat(of(events, "dev.weft.RuntimeState", "jfr-"))
                .extracting(e -> e.getString("from") + "->" + e.getString("to"))
                .containsExactly("UNINITIALIZED->INITIALIZING", "INITIALIZING->RUNNING",
                        "RUNNING->SHUTTING_DOWN", "SHUTTING_DOWN->TERMINATED");

        assertThat(of(events, "dev.weft.WorkerPark", "jfr-")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getInt("worker")).isBetween(0, 1));

        assertThat(steals).as("steals in the metrics").isPositive();
        List<RecordedEvent> stealEvents = of(events, "dev.weft.Steal", "jfr-");
        assertThat(stealEvents).as("one event per successful steal").hasSize((int) steals);
        assertThat(stealEvents).allSatisfy(e -> {
            assertThat(e.getInt("tasks")).isPositive();
            assertThat(e.getInt("thief")).isNotEqualTo(e.getInt("victim"));
        });
    }

    private static long stolen(AsyncRuntime runtime) {
        return runtime.metrics().total(RuntimeMetrics.WorkerMetrics::successfulSteals);
    }

    /** A task that spawns many small ones, then awaits them all. */
    private static final class FanOut implements Future<Integer> {
        static final int TASKS = 2_000;
        private JoinSet<Integer> set;
        private Future<Integer> next;
        private int joined;

        @Override
        public Poll<Integer> poll(Context cx) {
            if (set == null) {
                set = new JoinSet<>();
                for (int i = 0; i < TASKS; i++) {
                    set.spawn(cx2 -> {
                        long until = System.nanoTime() + 2_000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        return Poll.ready(1);
                    });
                }
            }
            while (true) {
                if (next == null) {
                    next = set.joinNext();
                }
                Poll<Integer> p = next.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                next = null;
                if (p.value() == null) {
                    return Poll.ready(joined);
                }
                joined += p.value();
            }
        }
    }
}
