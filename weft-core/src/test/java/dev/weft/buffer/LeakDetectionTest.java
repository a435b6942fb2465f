package dev.weft.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Await;
import dev.weft.LogCapture;
import java.lang.ref.WeakReference;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A watched buffer dropped unreleased is reported once, with where it was acquired, and no longer
 * counted; a released one never is.
 */
class LeakDetectionTest {

    private LogCapture log;

    @BeforeEach
    void listen() {
        log = LogCapture.of(BufferPool.class);
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    @Test
    void aBufferDroppedUnreleased_inParanoidMode_isReportedWithItsAcquiringSite() {
        BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.PARANOID).build();
        WeakReference<PooledBuffer> dropped = new WeakReference<>(acquireAndDrop(pool));
        Await.until("the dropped buffer reported", () -> {
            System.gc();
            return pool.stats().leaked() > 0;
        });
        assertThat(dropped.get()).isNull();
        BufferPool.Stats stats = pool.stats();
        assertThat(stats.leaked()).isEqualTo(1);
        assertThat(stats.inUse()).isZero();
        assertThat(stats.allocatedBytes()).isZero(); // not lost to the accounting
        assertThat(log.records()).hasSize(1);
        LogRecord report = log.records().get(0);
        assertThat(report.getMessage()).contains("pooled buffer of 1024 bytes")
                .contains("garbage-collected without release()");
        assertThat(report.getThrown().getStackTrace()).anySatisfy(frame ->
                assertThat(frame.getMethodName()).isEqualTo("acquireAndDrop"));
        pool.stats();
        assertThat(log.records()).as("reported once").hasSize(1);
    }

    private static PooledBuffer acquireAndDrop(BufferPool pool) {
        return pool.acquire(1000);
    }

    @Test
    void releasedBuffers_areNeverReported() {
        BufferPool pool = BufferPool.builder().leakDetection(LeakDetection.PARANOID).build();
        for (int i = 0; i < 1000; i++) {
            pool.acquire(100).release();
        }
        // a canary collected proves that collections ran while the released ones were watched
        WeakReference<Object> canary = new WeakReference<>(new Object());
        Await.until("the canary collected", () -> {
            System.gc();
            return canary.get() == null;
        });
        System.gc();
        assertThat(canary.get()).isNull();
        assertThat(pool.stats().leaked()).isZero();
        assertThat(log.records()).isEmpty();
    }

    @Test
    void sampledMode_watchesAboutOneBufferIn128_andOffWatchesNone() {
        BufferPool sampled = BufferPool.create();
        int watched = 0;
        for (int i = 0; i < 128 * 100; i++) {
            PooledBuffer b = sampled.acquire(64);
            if (b.watch != null) {
                watched++;
            }
            b.release();
        }
        assertThat(watched).as("expected 100, give or take 10").isBetween(50, 160);
        BufferPool off = BufferPool.builder().leakDetection(LeakDetection.OFF).build();
        for (int i = 0; i < 1000; i++) {
            PooledBuffer b = off.acquire(64);
            assertThat(b.watch).isNull();
            b.release();
        }
    }

    /** A stride of 128 would watch the same one of each pair every time: never the second. */
    @Test
    void sampledMode_watchesEitherOfBuffersAlwaysAcquiredInPairs() {
        BufferPool sampled = BufferPool.create();
        int firsts = 0;
        int seconds = 0;
        for (int i = 0; i < 128 * 40; i++) {
            PooledBuffer first = sampled.acquire(64);
            PooledBuffer second = sampled.acquire(64);
            firsts += first.watch != null ? 1 : 0;
            seconds += second.watch != null ? 1 : 0;
            first.release();
            second.release();
        }
        assertThat(firsts).as("expected 40 of each").isPositive();
        assertThat(seconds).isPositive();
    }
}
