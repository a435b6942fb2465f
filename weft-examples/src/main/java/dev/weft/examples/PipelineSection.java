package dev.weft.examples;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.RuntimeMetrics;
import dev.weft.sync.Channel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tour's pipeline section: a producer task feeds numbers through a bounded channel to worker
 * tasks, which test each for primality and pass the primes through a second bounded channel to a
 * consumer task that is slower on purpose. The consumer sets the pace: the second channel fills,
 * the workers wait to send, the first channel fills, the producer waits. A live line shows both
 * channels filling (back-pressure), and a table counts the messages and the waits.
 */
final class PipelineSection {

    static final int RAW_CAPACITY = 64;
    static final int RESULT_CAPACITY = 16;
    /** Rounds of arithmetic the consumer spends on each prime: what makes it the slow stage. */
    private static final int CONSUMER_WORK = 20_000;

    private final int workers;
    private final int numbers;

    PipelineSection(int workers, int numbers) {
        this.workers = workers;
        this.numbers = numbers;
    }

    /**
     * What the section measured.
     *
     * @param produced      numbers the producer sent
     * @param tested        numbers the workers received and tested
     * @param primes        primes the workers sent on
     * @param consumed      primes the consumer received
     * @param expected      primes below {@code numbers}, by a sieve
     * @param producerWaits sends of the producer that found the first channel full
     * @param workerWaits   sends of the workers that found the second channel full
     * @param consumerWaits receives of the consumer that found the second channel empty
     * @param elapsedNanos  the pipeline's time
     * @param metrics       the runtime's metrics at the end
     */
    record Result(long produced, long tested, long primes, long consumed, long expected,
            long producerWaits, long workerWaits, long consumerWaits, long elapsedNanos,
            RuntimeMetrics metrics) {
    }

    Result run(PrintStream out) {
        out.printf("6. A pipeline over bounded channels: a producer task, %d tester tasks (numbers "
                + "below %,d, for primality) and a slow consumer task, on %d workers%n",
                workers * 2, numbers, workers);
        out.printf("   channels of %d and %d messages; the consumer sets the pace, and the "
                + "full channels make the others wait%n", RAW_CAPACITY, RESULT_CAPACITY);
        AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(workers).build();
        Channel<Integer> raw = Channel.bounded(RAW_CAPACITY);
        Channel<Integer> found = Channel.bounded(RESULT_CAPACITY);
        AtomicLong produced = new AtomicLong();
        AtomicLong tested = new AtomicLong();
        AtomicLong primes = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        AtomicLong producerWaits = new AtomicLong();
        AtomicLong workerWaits = new AtomicLong();
        AtomicLong consumerWaits = new AtomicLong();
        long start = System.nanoTime();
        Thread progress = progress(out, start, produced, consumed, raw, found);
        try {
            runtime.spawn(new Stage(raw, null, numbers, produced, producerWaits, null));
            List<JoinHandle<Void>> stageTwo = new ArrayList<>();
            int testers = workers * 2;
            for (int w = 0; w < testers; w++) {
                stageTwo.add(runtime.spawn(new Stage(found, raw, 0, tested, workerWaits, primes)));
            }
            runtime.spawn(dev.weft.Async.joinAll(stageTwo).map(v -> {
                found.close(); // the last tester is done: the consumer drains, then ends
                return null;
            }));
            runtime.blockOn(new Stage(null, found, 0, consumed, consumerWaits, null));
        } finally {
            progress.interrupt();
            join(progress);
        }
        long elapsed = System.nanoTime() - start;
        if (!runtime.shutdown(Duration.ofSeconds(1))) {
            throw new IllegalStateException("pipeline tasks still running: " + runtime.metrics());
        }
        Result r = new Result(produced.get(), tested.get(), primes.get(), consumed.get(),
                CurrentThreadSection.sievePrimes(numbers), producerWaits.get(), workerWaits.get(),
                consumerWaits.get(), elapsed, runtime.metrics());
        print(out, r);
        return r;
    }

    /**
     * One task of the pipeline, as a loop: receives from {@code in} (none: counts up to
     * {@code limit}), and sends on {@code out} (none: spends {@link #CONSUMER_WORK} on it). A
     * tester passes on only the primes. Counts what it handled, and the sends (or, for the
     * consumer, the receives) that had to wait. Ends once {@code in} is closed and drained; the
     * producer closes {@code out} when done.
     */
    private static final class Stage implements Future<Void> {
        private final Channel<Integer> out;
        private final Channel<Integer> in;
        private final int limit;
        private final AtomicLong handled;
        private final AtomicLong waits;
        private final AtomicLong passed;
        private int next = 2;
        private Future<Integer> receiving;
        private Future<Void> sending;
        private boolean waited;
        private long sink;

        Stage(Channel<Integer> out, Channel<Integer> in, int limit, AtomicLong handled,
                AtomicLong waits, AtomicLong passed) {
            this.out = out;
            this.in = in;
            this.limit = limit;
            this.handled = handled;
            this.waits = waits;
            this.passed = passed;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (true) {
                if (sending != null) {
                    if (!sending.poll(cx).isReady()) {
                        countWait();
                        return Poll.pending();
                    }
                    sending = null;
                    waited = false;
                }
                Integer value;
                if (in == null) {
                    if (next >= limit) {
                        out.close();
                        return Poll.ready(null);
                    }
                    value = next++;
                } else {
                    if (receiving == null) {
                        receiving = in.receive();
                    }
                    Poll<Integer> p = receiving.poll(cx);
                    if (!p.isReady()) {
                        if (out == null) {
                            countWait(); // the consumer waits for primes
                        }
                        return Poll.pending();
                    }
                    receiving = null;
                    waited = false;
                    value = p.value();
                    if (value == null) {
                        return Poll.ready(null); // closed and drained
                    }
                }
                handled.incrementAndGet();
                if (out == null) {
                    sink += work(value); // the consumer
                } else if (in == null || PrimeCount.isPrime(value)) {
                    if (passed != null) {
                        passed.incrementAndGet();
                    }
                    sending = out.send(value);
                }
            }
        }

        private void countWait() {
            if (!waited) {
                waited = true;
                waits.incrementAndGet();
            }
        }

        private static long work(int value) {
            long x = value;
            for (int i = 0; i < CONSUMER_WORK; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            return x;
        }

        @Override
        public String toString() {
            return "Stage[" + sink + "]";
        }
    }

    private static Thread progress(PrintStream out, long start, AtomicLong produced,
            AtomicLong consumed, Channel<?> raw, Channel<?> found) {
        CountDownLatch never = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                while (!never.await(250, TimeUnit.MILLISECONDS)) {
                    out.println(line(System.nanoTime() - start, produced.get(), consumed.get(),
                            raw.size(), found.size()));
                }
            } catch (InterruptedException stopped) {
                // the pipeline is done: the section prints its table next
            }
        }, "tour-pipeline-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static String line(long elapsedNanos, long produced, long consumed, int rawBuffered,
            int foundBuffered) {
        return String.format("   [%5.2f s] produced %,9d   consumed %,7d primes   numbers channel "
                        + "%s %2d/%d   primes channel %s %2d/%d",
                elapsedNanos / 1e9, produced, consumed, bar(rawBuffered, RAW_CAPACITY),
                rawBuffered, RAW_CAPACITY, bar(foundBuffered, RESULT_CAPACITY), foundBuffered,
                RESULT_CAPACITY);
    }

    /** A channel's fill, as a bar of 8. */
    private static String bar(int buffered, int capacity) {
        int filled = Math.min(8, buffered * 8 / capacity);
        return "[" + "#".repeat(filled) + ".".repeat(8 - filled) + "]";
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void print(PrintStream out, Result r) {
        out.println();
        double seconds = r.elapsedNanos() / 1e9;
        new Table("pipeline", "")
                .row("numbers the producer sent", r.produced())
                .row("numbers the testers received", r.tested())
                .row(String.format("primes the testers sent on (a sieve counts %,d)",
                        r.expected()), r.primes())
                .row("primes the consumer received", r.consumed())
                .row("producer sends that waited for room", r.producerWaits())
                .row("tester sends that waited for room", r.workerWaits())
                .row("consumer receives that waited for a prime", r.consumerWaits())
                .row("time", String.format("%.2f s", seconds))
                .row("primes per second", String.format("%,.0f", r.consumed() / seconds))
                .row("tasks still live at the end", r.metrics().liveTasks())
                .print(out, "   ");
        out.println();
    }
}
