package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The workers' shared reading of the runtime's clock, which stamps tasks queued from outside. */
class ClockReadingsTest {

    private final ManualClock clock = new ManualClock(Instant.EPOCH);
    private final ClockReadings readings = new ClockReadings(clock);
    private final InjectQueue queue = new InjectQueue(true);

    @Test
    void aSpawnOntoAnEmptyQueue_readsTheClock_andSharesTheReadingWithTheSpawnsBehindIt() {
        readings.publish(clock.nanoTime()); // the workers' last reading
        clock.advance(Duration.ofHours(1)); // then an idle hour

        long first = readings.stampFor(queue);
        assertThat(first).as("a fresh reading onto an empty queue").isEqualTo(clock.nanoTime());

        clock.advance(Duration.ofMillis(1));
        queue.push(QueueTasks.task(1));
        long second = readings.stampFor(queue);
        assertThat(second).as("the reading the first spawn shared, not the hour-old one")
                .isEqualTo(first);
    }

    @Test
    void ontoANonEmptyQueue_theWorkersLatestReadingIsUsed() {
        queue.push(QueueTasks.task(1));
        clock.advance(Duration.ofSeconds(5));
        long reading = clock.nanoTime();
        readings.publish(reading);
        clock.advance(Duration.ofSeconds(5));
        assertThat(readings.stampFor(queue)).isEqualTo(reading);
    }
}
