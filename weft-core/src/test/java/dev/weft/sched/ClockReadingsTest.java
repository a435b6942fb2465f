package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The workers' shared clock reading, which stamps tasks queued from outside. */
class ClockReadingsTest {

    private final ClockReadings readings = new ClockReadings();
    private final InjectQueue queue = new InjectQueue(true);

    @Test
    void aSpawnOntoAnEmptyQueue_readsTheClock_andSharesTheReadingWithTheSpawnsBehindIt() {
        long idleSince = System.nanoTime();
        readings.publish(idleSince - 3_600_000_000_000L); // the workers' last reading, an hour old

        long first = readings.stampFor(queue);
        assertThat(first - idleSince).as("a fresh reading onto an empty queue").isGreaterThanOrEqualTo(0);

        queue.push(QueueTasks.task(1));
        long second = readings.stampFor(queue);
        assertThat(second).as("the reading the first spawn shared, not the hour-old one").isEqualTo(first);
    }

    @Test
    void ontoANonEmptyQueue_theWorkersLatestReadingIsUsed() {
        queue.push(QueueTasks.task(1));
        long reading = System.nanoTime();
        readings.publish(reading);
        assertThat(readings.stampFor(queue)).isEqualTo(reading);
    }
}
