package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The long-poll detector: a poll that holds its thread past the threshold is reported once, with
 * the task's name and the thread's stack, again once stuck for a second, and its end after; polls
 * that return are never reported, however long their task runs. Time is a manual clock's, but in
 * the test of the watch's own thread.
 */
class LongPollTest {

    private static final String WATCH = "dev.weft.sched.PollWatch";

    /** A future whose poll blocks its thread until released: a long poll. */
    static final class Blocker implements Future<String> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Poll<String> poll(Context cx) {
            entered.countDown();
            try {
                if (!release.await(Await.BOUND.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("the blocker was never released");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return Poll.ready("done");
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(Await.BOUND.toSeconds(), TimeUnit.SECONDS))
                    .as("the blocker was polled").isTrue();
        }
    }

    private static AsyncRuntime runtime(RuntimeKind kind, ManualClock clock, Duration threshold) {
        return kind == RuntimeKind.MULTI_THREAD
                ? AsyncRuntime.builder().workerThreads(2).clock(clock)
                        .longPollThreshold(threshold).build()
                : AsyncRuntime.currentThread().clock(clock).longPollThreshold(threshold).build();
    }

    /** Spawns {@code future}; on a current-thread runtime, a thread of its own drives it. */
    private static Thread spawn(AsyncRuntime runtime, RuntimeKind kind, String name,
            Future<?> future) {
        JoinHandle<?> handle = runtime.spawn(TaskOptions.priority(Priority.NORMAL).name(name),
                future);
        return Await.thread("driver of " + name, () -> {
            if (kind == RuntimeKind.CURRENT_THREAD) {
                runtime.blockOn(handle);
            } else {
                handle.join();
            }
        });
    }

    private static List<String> logged(LogCapture log, Level level) {
        return log.records().stream().filter(r -> r.getLevel() == level)
                .map(LogRecord::getMessage).toList();
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aLongPoll_isReportedOnceWithItsTaskAndStack_thenOnceStuck_thenItsEnd(RuntimeKind kind)
            throws InterruptedException {
        ManualClock clock = new ManualClock();
        try (LogCapture log = LogCapture.of(WATCH);
                AsyncRuntime runtime = runtime(kind, clock, Duration.ofMillis(100))) {
            Blocker blocker = new Blocker();
            Thread driver = spawn(runtime, kind, "blocker", blocker);
            blocker.awaitEntered();

            clock.advance(Duration.ofMillis(1)); // the watch first sees the poll
            clock.advance(Duration.ofMillis(98));
            assertThat(logged(log, Level.WARNING)).as("reported before the threshold").isEmpty();
            clock.advance(Duration.ofMillis(2));
            List<String> warnings = logged(log, Level.WARNING);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("task 'blocker'").contains("at least 100 ms")
                    .contains("spawnBlocking").contains(Blocker.class.getName() + ".poll");

            clock.advance(Duration.ofMillis(500));
            assertThat(logged(log, Level.WARNING)).as("reported twice as long").hasSize(1);
            clock.advance(Duration.ofMillis(500));
            warnings = logged(log, Level.WARNING);
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(1)).contains("has not come back from one poll of task "
                    + "'blocker' for 1100 ms").contains(Blocker.class.getName() + ".poll");
            clock.advance(Duration.ofSeconds(5));
            assertThat(logged(log, Level.WARNING)).as("reported stuck twice").hasSize(2);
            assertThat(runtime.metrics().longPolls()).as("long polls in the metrics").isOne();

            blocker.release.countDown();
            Await.join(driver);
            Await.until("the end of the long poll reported", () -> logged(log, Level.INFO)
                    .stream().anyMatch(m -> m.contains("task 'blocker' returned from its long "
                            + "poll") && m.contains("after at least 6100 ms")));
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aTaskThatKeepsYielding_isNeverReported_howeverLongItRuns(RuntimeKind kind) {
        ManualClock clock = new ManualClock();
        AtomicInteger polls = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try (LogCapture log = LogCapture.of(WATCH);
                AsyncRuntime runtime = runtime(kind, clock, Duration.ofMillis(100))) {
            // Each poll keeps its thread busy a while, so the watch nearly always finds this
            // task in a poll: only the count of polls begun tells one poll from the next.
            Future<Void> yielder = cx -> {
                if (stop.get()) {
                    return Poll.ready(null);
                }
                polls.incrementAndGet();
                long until = System.nanoTime() + 50_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                cx.waker().wake();
                return Poll.pending();
            };
            Thread driver = spawn(runtime, kind, "yielder", yielder);
            Await.until("the yielder runs", () -> polls.get() > 10);
            for (int i = 0; i < 1_000; i++) {
                // A millisecond of the clock per two polls begun: no poll lasts 100 ms of it.
                int before = polls.get();
                clock.advance(Duration.ofMillis(1));
                Await.until("the yielder polled again", () -> polls.get() >= before + 2);
            }
            stop.set(true);
            Await.join(driver);
            assertThat(polls.get()).as("polls of the yielder").isGreaterThan(2_000);
            assertThat(logged(log, Level.WARNING)).isEmpty();
        }
    }

    @Test
    void aZeroThreshold_turnsTheWatchOff() throws InterruptedException {
        ManualClock clock = new ManualClock();
        try (LogCapture log = LogCapture.of(WATCH);
                AsyncRuntime runtime = runtime(RuntimeKind.MULTI_THREAD, clock, Duration.ZERO)) {
            Blocker blocker = new Blocker();
            Thread driver = spawn(runtime, RuntimeKind.MULTI_THREAD, "blocker", blocker);
            blocker.awaitEntered();
            clock.advance(Duration.ofMillis(1));
            clock.advance(Duration.ofSeconds(10));
            blocker.release.countDown();
            Await.join(driver);
            assertThat(log.records()).isEmpty();
        }
    }

    /**
     * On the system clock one thread of the JVM watches every runtime, and sleeps while their
     * workers are all parked; a worker that wakes rouses it, so a long poll after an idle spell is
     * still reported.
     */
    @Test
    void theWatcherOfIdleRuntimesSleeps_andWakesForTheNextLongPoll() throws InterruptedException {
        try (LogCapture log = LogCapture.of(WATCH);
                AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2)
                        .longPollThreshold(Duration.ofMillis(40)).build()) {
            Thread watcher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("weft-poll-watch")).findFirst()
                    .orElseThrow(() -> new AssertionError("no thread weft-poll-watch"));
            Await.until("the watcher of idle runtimes sleeps untimed",
                    () -> watcher.getState() == Thread.State.WAITING);

            Blocker blocker = new Blocker();
            Thread driver = spawn(runtime, RuntimeKind.MULTI_THREAD, "after-idle", blocker);
            blocker.awaitEntered();
            Await.until("the long poll after the idle spell reported",
                    () -> logged(log, Level.WARNING).stream()
                            .anyMatch(m -> m.contains("task 'after-idle'")));
            blocker.release.countDown();
            Await.join(driver);
        }
    }

    /**
     * A report the polling thread missed (the flag set as its poll returned) is ended by the
     * watch's next check, not after the thread's next poll, however late that comes.
     */
    @Test
    void aReportMadeAsThePollReturns_isEndedByTheNextCheck() throws InterruptedException {
        ManualClock clock = new ManualClock();
        Blocker blocker = new Blocker();
        java.util.logging.Handler releaseOnReport = new java.util.logging.Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.WARNING) {
                    blocker.release.countDown(); // the poll returns while it is reported
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(WATCH);
        try (LogCapture log = LogCapture.of(WATCH);
                AsyncRuntime runtime = runtime(RuntimeKind.MULTI_THREAD, clock,
                        Duration.ofMillis(100))) {
            logger.addHandler(releaseOnReport);
            Thread driver = spawn(runtime, RuntimeKind.MULTI_THREAD, "racer", blocker);
            blocker.awaitEntered();
            clock.advance(Duration.ofMillis(1));
            clock.advance(Duration.ofMillis(100)); // reported; the report releases the poll
            Await.join(driver);
            clock.advance(Duration.ofMillis(30)); // the next check: the poll is over
            Await.until("the end reported", () -> logged(log, Level.INFO).stream()
                    .anyMatch(m -> m.contains("task 'racer' returned")));
            List<String> ends = logged(log, Level.INFO);
            assertThat(ends).hasSize(1);
            // Ended by its thread (100 ms) or by the next check (130 ms); never later.
            assertThat(ends.get(0)).containsAnyOf("after at least 100 ms",
                    "after at least 130 ms");
            clock.advance(Duration.ofHours(1));
            runtime.blockOn(runtime.spawn(Async.ready(0)));
            assertThat(logged(log, Level.INFO)).as("ended once").hasSize(1);
        } finally {
            logger.removeHandler(releaseOnReport);
        }
    }
}
