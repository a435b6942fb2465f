package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Starvation on a manual clock: CRITICAL tasks that never stop yielding, and one BACKGROUND task
 * queued behind them. The clock stands still until the {@value #POLLS_BEFORE_AGING}th CRITICAL
 * poll after the BACKGROUND task was queued, which moves it past the threshold: until then the
 * BACKGROUND task must wait, however long the machine takes, and after it, it must start at once.
 * Nothing here reads the wall clock.
 *
 * <p>"At once" is checked by the order of events, not by durations: once the clock has passed the
 * threshold, the thread that runs the BACKGROUND task starts at most a given number of CRITICAL
 * polls first (on a worker, one whose pick it made before it saw the clock move).
 */
final class StarvationScenario {

    /** The starvation threshold: short, so that a runtime aging tasks by the wall clock fails. */
    static final Duration THRESHOLD = Duration.ofNanos(10_000);
    /** CRITICAL polls after the BACKGROUND task was queued, before the clock moves. */
    static final int POLLS_BEFORE_AGING = 100_000;

    private record Start(Thread thread, long sequence) {
    }

    final ManualClock clock = new ManualClock(Instant.EPOCH);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong pollsSinceQueued = new AtomicLong();
    private final Set<Thread> criticalThreads = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Start> criticalStartsAfterAging =
            new ConcurrentLinkedQueue<>();
    private volatile boolean backgroundQueued;
    private volatile long agedAtSequence = Long.MAX_VALUE;
    private volatile long movedAtSequence = Long.MAX_VALUE;
    private volatile boolean backgroundRanBeforeAging;
    private volatile long backgroundStartedAt;
    private volatile Thread backgroundThread;
    private volatile boolean stop;

    /** Puts a runtime's builder on this scenario's clock and threshold. */
    AsyncRuntime.Builder configure(AsyncRuntime.Builder builder) {
        return builder.clock(clock).starvationThreshold(THRESHOLD);
    }

    /** A CRITICAL task that yields on every poll until the BACKGROUND task started. */
    Future<Void> yieldingCritical() {
        return cx -> {
            long at = sequence.incrementAndGet();
            Thread me = Thread.currentThread();
            criticalThreads.add(me);
            if (agedAtSequence != Long.MAX_VALUE) {
                criticalStartsAfterAging.add(new Start(me, at));
            }
            if (stop) {
                return Poll.ready(null);
            }
            if (backgroundQueued && pollsSinceQueued.incrementAndGet() == POLLS_BEFORE_AGING) {
                backgroundRanBeforeAging = backgroundThread != null;
                agedAtSequence = sequence.incrementAndGet();
                clock.advance(THRESHOLD);
                // Numbered again once the clock has moved: only a poll started after that could
                // have been picked on the new reading. (While this thread stood between the two,
                // a worker could pick and start polls on the old one.)
                movedAtSequence = sequence.incrementAndGet();
            }
            cx.waker().wake();
            return Poll.pending();
        };
    }

    /** Spawns the BACKGROUND task with {@code spawner} (a runtime's spawn, or Async's). */
    JoinHandle<Void> queueBackground(
            BiFunction<TaskOptions, Future<Void>, JoinHandle<Void>> spawner) {
        JoinHandle<Void> handle = spawner.apply(TaskOptions.priority(Priority.BACKGROUND), cx -> {
            backgroundStartedAt = sequence.incrementAndGet();
            backgroundThread = Thread.currentThread();
            stop = true;
            return Poll.ready(null);
        });
        backgroundQueued = true;
        return handle;
    }

    /** Tells how many threads have run a CRITICAL poll. */
    int criticalThreads() {
        return criticalThreads.size();
    }

    void assertWaitedWhileTheClockStoodStill_thenStartedWithin(int criticalPollsAfterAging) {
        assertThat(backgroundThread).as("the BACKGROUND task started").isNotNull();
        assertThat(backgroundRanBeforeAging)
                .as("the BACKGROUND task ran before the clock moved, within %d CRITICAL polls",
                        POLLS_BEFORE_AGING)
                .isFalse();
        assertThat(backgroundStartedAt).as("the BACKGROUND task started after the clock moved")
                .isGreaterThan(agedAtSequence);
        long late = criticalStartsAfterAging.stream()
                .filter(s -> s.thread() == backgroundThread && s.sequence() > movedAtSequence
                        && s.sequence() < backgroundStartedAt)
                .count();
        assertThat(late)
                .as("CRITICAL polls started on %s after the clock passed the threshold, before the "
                        + "BACKGROUND task",
                        backgroundThread.getName())
                .isLessThanOrEqualTo(criticalPollsAfterAging);
    }
}
