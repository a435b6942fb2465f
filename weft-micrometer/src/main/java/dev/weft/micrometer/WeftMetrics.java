package dev.weft.micrometer;

import dev.weft.AsyncRuntime;
import dev.weft.Histogram;
import dev.weft.Priority;
import dev.weft.RuntimeMetrics;
import dev.weft.RuntimeMetrics.WorkerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a Weft runtime's metrics to a Micrometer registry, every meter tagged with the runtime's
 * name ({@code name}, as Micrometer's {@code ExecutorServiceMetrics} tags an executor).
 *
 * <pre>{@code
 * new WeftMetrics(runtime, "orders").bindTo(registry);
 * }</pre>
 *
 * <p>Where Micrometer's executor meters fit, they keep their names, so dashboards made for a
 * {@code ForkJoinPool} or a {@code ThreadPoolExecutor} show a Weft runtime too:
 * {@code executor.completed} (tasks that ended), {@code executor.queued} (tasks waiting in run
 * queues), {@code executor.pool.size} (workers), {@code executor.steals} (tasks stolen). The rest
 * are Weft's own, under {@code weft.}: task counts, polls, wakes, parks, long polls, the global
 * queue, per priority (tag {@code priority}), per worker (tag {@code worker}: busy time, polls,
 * queue depth), poll-time percentiles since the last read (tag {@code phi}, 0.5 and 0.99),
 * timers, sockets and the runtime's buffer pool.
 *
 * <p>Meters read one {@link AsyncRuntime#metrics()} snapshot, taken again once it is older than
 * the refresh interval (100 ms by default): a registry that reads every meter at once, as a
 * scrape does, takes one snapshot, not one per meter. The meters hold the runtime strongly: bind
 * a runtime that lives as long as the registry, or remove its meters when it ends. The
 * per-worker meters are made for the workers the runtime has when bound.
 */
public final class WeftMetrics implements MeterBinder {

    private final AsyncRuntime runtime;
    private final Tags tags;
    private final long refreshNanos;
    /** The last snapshot and when it was taken; replaced whole, so readers see a pair. */
    private volatile Taken last;

    /** A snapshot and the {@link System#nanoTime()} it was taken at. */
    private record Taken(RuntimeMetrics metrics, long at) {
    }

    /**
     * Meters of {@code runtime}, tagged {@code name=name}, refreshed every 100 ms at most.
     *
     * @param runtime the runtime
     * @param name    its name in the meters' {@code name} tag
     */
    public WeftMetrics(AsyncRuntime runtime, String name) {
        this(runtime, name, Tags.empty(), Duration.ofMillis(100));
    }

    /**
     * Meters of {@code runtime}, tagged {@code name=name} and with {@code tags}.
     *
     * @param runtime the runtime
     * @param name    its name in the meters' {@code name} tag
     * @param tags    more tags for every meter
     * @param refresh how old a snapshot may be before a meter's read takes a new one; zero for
     *                a new one at every read
     * @throws IllegalArgumentException if {@code refresh} is negative
     */
    public WeftMetrics(AsyncRuntime runtime, String name, Iterable<Tag> tags, Duration refresh) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.tags = Tags.concat(tags, "name", Objects.requireNonNull(name, "name"));
        Objects.requireNonNull(refresh, "refresh");
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("refresh must not be negative, was " + refresh);
        }
        this.refreshNanos = refresh.toNanos();
    }

    /** The snapshot meters read: the last one, or a new one if it is older than the refresh. */
    private RuntimeMetrics metrics() {
        Taken taken = last;
        long now = System.nanoTime();
        if (taken == null || now - taken.at >= refreshNanos) {
            taken = new Taken(runtime.metrics(), now);
            last = taken;
        }
        return taken.metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        // Micrometer's executor meters.
        counter(registry, "executor.completed", "tasks",
                "Tasks that ended: completed, failed or cancelled", Tags.empty(),
                m -> m.tasksCompleted() + m.tasksFailed() + m.tasksCancelled());
        gauge(registry, "executor.queued", "tasks", "Tasks waiting in run queues", Tags.empty(),
                m -> m.total(WorkerMetrics::queueDepth) + m.globalQueueDepth());
        gauge(registry, "executor.pool.size", "threads", "Worker threads", Tags.empty(),
                m -> m.workers().size());
        counter(registry, "executor.steals", "tasks", "Tasks moved by stealing", Tags.empty(),
                m -> m.total(WorkerMetrics::tasksStolen));

        // Tasks and polls.
        counter(registry, "weft.tasks.spawned", "tasks", "Tasks accepted by spawn", Tags.empty(),
                RuntimeMetrics::tasksSpawned);
        counter(registry, "weft.tasks.completed", "tasks", "Tasks that ended with a value",
                Tags.empty(), RuntimeMetrics::tasksCompleted);
        counter(registry, "weft.tasks.failed", "tasks", "Tasks whose future threw", Tags.empty(),
                RuntimeMetrics::tasksFailed);
        counter(registry, "weft.tasks.cancelled", "tasks", "Tasks aborted or cancelled by "
                + "shutdown", Tags.empty(), RuntimeMetrics::tasksCancelled);
        counter(registry, "weft.tasks.rejected", "tasks", "Spawns refused", Tags.empty(),
                RuntimeMetrics::tasksRejected);
        gauge(registry, "weft.tasks.live", "tasks", "Tasks spawned and not yet ended",
                Tags.empty(), RuntimeMetrics::liveTasks);
        counter(registry, "weft.polls", "polls", "Polls of task futures", Tags.empty(),
                RuntimeMetrics::polls);
        counter(registry, "weft.wakes", "polls", "Polls that followed a wake", Tags.empty(),
                RuntimeMetrics::wakes);
        counter(registry, "weft.long.polls", "polls", "Polls the long-poll watch reported",
                Tags.empty(), RuntimeMetrics::longPolls);
        gauge(registry, "weft.global.queue.depth", "tasks", "Tasks waiting in the global queue",
                Tags.empty(), RuntimeMetrics::globalQueueDepth);
        counter(registry, "weft.parks", "parks", "Times a worker parked for lack of work",
                Tags.empty(), m -> m.total(WorkerMetrics::parks));
        for (double phi : new double[] {0.5, 0.99}) {
            PercentileSinceLastRead percentile = new PercentileSinceLastRead(phi);
            gauge(registry, "weft.poll.time.percentile", "seconds", "Sampled poll durations "
                    + "since the last read, at a percentile", Tags.of("phi", Double.toString(phi)),
                    percentile::read);
        }

        // Per worker: the runtime's workers are fixed for now; one set of meters each.
        int workers = runtime.metrics().workers().size(); // not cached: reads start after this
        for (int i = 0; i < workers; i++) {
            int index = i;
            Tags worker = Tags.of("worker", Integer.toString(i));
            counter(registry, "weft.worker.busy", "seconds", "Time the worker spent running "
                    + "tasks", worker, m -> m.workers().get(index).busyTime().toNanos() / 1e9);
            counter(registry, "weft.worker.polls", "polls", "Polls on the worker", worker,
                    m -> m.workers().get(index).polls());
            gauge(registry, "weft.worker.queue.depth", "tasks", "Tasks in the worker's run "
                    + "queue", worker, m -> m.workers().get(index).queueDepth());
        }

        // Per priority.
        for (Priority p : Priority.values()) {
            Tags priority = Tags.of("priority", p.name().toLowerCase(java.util.Locale.ROOT));
            gauge(registry, "weft.priority.queued", "tasks", "Tasks of the priority waiting to "
                    + "run (-1 without priority scheduling)", priority,
                    m -> m.priority(p).queued());
            counter(registry, "weft.priority.started", "tasks", "Tasks of the priority polled "
                    + "for the first time", priority, m -> m.priority(p).started());
            counter(registry, "weft.priority.started.late", "tasks", "Of those, tasks whose "
                    + "deadline had passed", priority, m -> m.priority(p).startedAfterDeadline());
        }

        // Timers, sockets, buffers.
        gauge(registry, "weft.timers.pending", "timers", "Timers armed now", Tags.empty(),
                m -> m.timers().pending());
        counter(registry, "weft.timers.fired", "timers", "Timers that fired", Tags.empty(),
                m -> m.timers().fired());
        counter(registry, "weft.timers.cancelled", "timers", "Timers removed before their "
                + "deadline", Tags.empty(), m -> m.timers().cancelled());
        gauge(registry, "weft.io.sockets", "sockets", "Sockets registered now", Tags.empty(),
                m -> m.io().sockets());
        gauge(registry, "weft.buffers.allocated", "bytes", "Bytes the runtime's buffer pool "
                + "has allocated and not given back", Tags.empty(),
                m -> m.buffers().allocatedBytes());
        gauge(registry, "weft.buffers.retained", "bytes", "Bytes of free buffers the pool "
                + "keeps", Tags.empty(), m -> m.buffers().retainedBytes());
        gauge(registry, "weft.buffers.in.use", "buffers", "Buffers acquired and not released",
                Tags.empty(), m -> m.buffers().inUse());
    }

    /**
     * A percentile of the poll times sampled since the gauge's last read, as Micrometer's own
     * percentiles cover a recent window rather than the whole run; when no poll was sampled
     * since, the last value again.
     */
    private static final class PercentileSinceLastRead {
        private final double phi;
        private Histogram before = Histogram.empty();
        private double value;

        PercentileSinceLastRead(double phi) {
            this.phi = phi;
        }

        synchronized double read(RuntimeMetrics m) {
            Histogram now = m.pollTimes();
            Histogram window = now.minus(before);
            before = now;
            if (window.count() > 0) {
                value = window.percentile(phi).toNanos() / 1e9;
            }
            return value;
        }
    }

    // FunctionCounter holds its object weakly; the gauges hold this binder strongly
    // (strongReference), which keeps it, and so the counters, alive with the registry.
    private void counter(MeterRegistry registry, String name, String unit, String description,
            Tags extra, ToDoubleFunction<RuntimeMetrics> figure) {
        FunctionCounter.builder(name, this, b -> figure.applyAsDouble(b.metrics()))
                .tags(tags).tags(extra).baseUnit(unit).description(description)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String unit, String description,
            Tags extra, ToDoubleFunction<RuntimeMetrics> figure) {
        Gauge.builder(name, this, b -> figure.applyAsDouble(b.metrics()))
                .tags(tags).tags(extra).baseUnit(unit).description(description)
                .strongReference(true).register(registry);
    }
}
