package dev.weft.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.EndedThreads;
import dev.weft.buffer.BufferPool;
import dev.weft.buffer.LeakDetection;
import dev.weft.time.Clock;
import dev.weft.time.ManualClock;
import dev.weft.time.driver.Nanos;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The idle cleanup's cadence and batches, on a manual clock: at most one pass per interval, each
 * freeing what {@link BufferPool#trim} finds idle in batches of the threshold, stopping between
 * batches once work arrived, and asking to be woken for the next pass only while there is
 * something to do.
 */
class IdleCleanupTest {

    private static final Duration INTERVAL = Duration.ofNanos(IdleCleanup.INTERVAL_NANOS);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.OFF).build();

    @Test
    void withoutAPool_nothingIsOwed() {
        IdleCleanup cleanup = new IdleCleanup(clock, 10);
        assertThat(cleanup.runIfDue(null, () -> false)).isEqualTo(Nanos.FOREVER);
    }

    @Test
    void aPassRunsOncePerInterval_andAnIdlePoolEmptiesOverTwo() throws InterruptedException {
        IdleCleanup cleanup = new IdleCleanup(clock, 10);
        EndedThreads.leaveInACache(pool, 35, 4096);

        cleanup.runIfDue(pool, () -> false); // takes the ended cache back; starts the interval
        assertThat(pool.stats().retainedBytes()).isEqualTo(35L * 4096);

        clock.advance(INTERVAL.minusNanos(1));
        cleanup.runIfDue(pool, () -> false); // not due yet
        assertThat(pool.stats().retainedBytes()).isEqualTo(35L * 4096);

        clock.advance(Duration.ofNanos(1));
        cleanup.runIfDue(pool, () -> false); // 4 batches of at most 10, no work in between
        assertThat(pool.stats().retainedBytes()).isZero();
    }

    @Test
    void workArriving_stopsThePassAfterItsBatch() throws InterruptedException {
        IdleCleanup cleanup = new IdleCleanup(clock, 10);
        EndedThreads.leaveInACache(pool, 35, 4096);
        cleanup.runIfDue(pool, () -> false);
        clock.advance(INTERVAL);

        AtomicInteger looks = new AtomicInteger();
        cleanup.runIfDue(pool, () -> looks.incrementAndGet() == 2); // work after the 2nd batch
        assertThat(pool.stats().retainedBytes()).isEqualTo(15L * 4096);

        clock.advance(INTERVAL); // the rest stayed idle: the next pass frees it
        cleanup.runIfDue(pool, () -> false);
        assertThat(pool.stats().retainedBytes()).isZero();
    }

    @Test
    void onARealClock_theCallerParksUntilTheNextPass_whileOneIsOwed()
            throws InterruptedException {
        IdleCleanup cleanup = new IdleCleanup(Clock.system(), 100);
        EndedThreads.leaveInACache(pool, 5, 4096);
        // the pool was used since the last pass (there was none): another is owed
        assertThat(cleanup.runIfDue(pool, () -> false)).isEqualTo(IdleCleanup.INTERVAL_NANOS);
        // not due: park no longer than until it is
        assertThat(cleanup.runIfDue(pool, () -> false))
                .isBetween(1L, IdleCleanup.INTERVAL_NANOS);
    }

    @Test
    void onAManualClock_theCallerIsNeverTimed() throws InterruptedException {
        IdleCleanup cleanup = new IdleCleanup(clock, 100);
        EndedThreads.leaveInACache(pool, 5, 4096);
        assertThat(cleanup.runIfDue(pool, () -> false)).isEqualTo(Nanos.FOREVER);
    }

    @Test
    void aQuietPoolWithNothingLeft_isOwedNothing() throws InterruptedException {
        IdleCleanup cleanup = new IdleCleanup(clock, 100);
        EndedThreads.leaveInACache(pool, 5, 4096);
        cleanup.runIfDue(pool, () -> false);
        assertThat(cleanup.owesAnotherPass()).as("the pool was used").isTrue();
        clock.advance(INTERVAL);
        cleanup.runIfDue(pool, () -> false);
        assertThat(cleanup.owesAnotherPass()).as("it freed buffers; more may go idle").isTrue();
        clock.advance(INTERVAL);
        cleanup.runIfDue(pool, () -> false);
        assertThat(cleanup.owesAnotherPass()).as("unused, and nothing left to free").isFalse();
        assertThat(pool.stats().retainedBytes()).isZero();
    }
}
