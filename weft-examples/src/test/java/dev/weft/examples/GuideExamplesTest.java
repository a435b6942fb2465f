package dev.weft.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.JoinSet;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.RuntimeMetrics;
import dev.weft.TaskCancelledException;
import dev.weft.TaskOptions;
import dev.weft.Waker;
import dev.weft.buffer.BufferPool;
import dev.weft.buffer.LeakDetection;
import dev.weft.buffer.PooledBuffer;
import dev.weft.micrometer.WeftMetrics;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.sync.Barrier;
import dev.weft.sync.Broadcast;
import dev.weft.sync.CancellationToken;
import dev.weft.sync.Channel;
import dev.weft.sync.LaggedException;
import dev.weft.sync.Mutex;
import dev.weft.sync.Notify;
import dev.weft.sync.Oneshot;
import dev.weft.sync.RwLock;
import dev.weft.sync.Semaphore;
import dev.weft.sync.Watch;
import dev.weft.time.Clock;
import dev.weft.time.Interval;
import dev.weft.time.ManualClock;
import dev.weft.time.MissedTickBehavior;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The guide's examples (docs/guide.md), as written there, so that they keep compiling and keep
 * being true. Each example in the guide names its test here in a comment before it, which
 * {@link DocExamplesCoverageTest} checks.
 */
class GuideExamplesTest {

    @Test
    void aRuntimeATaskAResult() {
        int value;
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(4).build()) {
            JoinHandle<Integer> answer = runtime.spawn(Async.ready(41).map(x -> x + 1));
            value = runtime.blockOn(answer);
        }
        assertThat(value).isEqualTo(42);
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            int again = runtime.blockOn(runtime.spawn(Async.ready(41).map(x -> x + 1)));
            assertThat(again).isEqualTo(42);
        }
    }

    @Test
    void coordination_aPipelineOverABoundedChannel() {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            Channel<Integer> jobs = Channel.bounded(16);
            Mutex<Integer> total = new Mutex<>(0);
            Semaphore slots = new Semaphore(2);
            runtime.spawn(produce(jobs, 0, 100));
            List<JoinHandle<Void>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(runtime.spawn(work(jobs, total, slots)));
            }
            runtime.blockOn(Async.joinAll(workers));
            int sum = runtime.blockOn(total.withLock(g -> Async.ready(g.get())));
            assertThat(sum).isEqualTo(4950);
            assertThat(slots.availablePermits()).isEqualTo(2);
        }
    }

    static Future<Void> produce(Channel<Integer> jobs, int next, int end) {
        if (next == end) {
            jobs.close();
            return Async.ready(null);
        }
        return jobs.send(next).then(v -> produce(jobs, next + 1, end));
    }

    static Future<Void> work(Channel<Integer> jobs, Mutex<Integer> total, Semaphore slots) {
        return jobs.receive().then(job -> job == null
                ? Async.<Void>ready(null)
                : slots.withPermits(1, () -> total.withLock(g -> {
                    g.set(g.get() + job);
                    return Async.<Void>ready(null);
                })).then(v -> work(jobs, total, slots)));
    }

    /** A request to {@link #serve}: a key, and where to send its value. */
    record Get(String key, Oneshot<Integer> reply) {
    }

    @Test
    void coordination_aTaskThatOwnsItsStateAnswersRequests() {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            Channel<Get> requests = Channel.bounded(64);
            runtime.spawn(serve(requests, new HashMap<>(Map.of("apples", 3, "pears", 5))));
            Oneshot<Integer> reply = new Oneshot<>();
            int pears = runtime.blockOn(requests.send(new Get("pears", reply))
                    .then(v -> reply.receive()));
            requests.close();
            assertThat(pears).isEqualTo(5);
        }
    }

    static Future<Void> serve(Channel<Get> requests, Map<String, Integer> stock) {
        return requests.receive().then(get -> {
            if (get == null) {
                return Async.ready(null);
            }
            get.reply().send(stock.getOrDefault(get.key(), 0));
            return serve(requests, stock);
        });
    }

    @Test
    void coordination_sharedSettingsAndTheirVersion() {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            RwLock<Map<String, String>> settings = new RwLock<>(new HashMap<>());
            Watch<Integer> version = new Watch<>(0);
            Watch.Receiver<Integer> reloader = version.subscribe();
            JoinHandle<String> reload = runtime.spawn(reloader.changed()
                    .then(v -> settings.withRead(g -> Async.ready("v" + v + " " + g.get()))));
            runtime.blockOn(settings.withWrite(g -> {
                g.get().put("mode", "fast");
                version.set(version.get() + 1);
                return Async.ready(null);
            }));
            assertThat(runtime.blockOn(reload)).isEqualTo("v1 {mode=fast}");
        }
    }

    @Test
    void coordination_aBroadcastAndAReceiverThatFellBehind() {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            Broadcast<String> events = new Broadcast<>(2);
            Broadcast.Receiver<String> slow = events.subscribe();
            events.send("started");
            events.send("50%");
            events.send("done");
            String first = runtime.blockOn(slow.receive().recover(e ->
                    e instanceof LaggedException lagged ? "missed " + lagged.missed() : null));
            String next = runtime.blockOn(slow.receive());
            assertThat(first).isEqualTo("missed 1");
            assertThat(next).isEqualTo("50%");
        }
    }

    @Test
    void coordination_tasksThatStopWhenTold() {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            CancellationToken shutdown = new CancellationToken();
            List<String> stopped = new ArrayList<>();
            try (JoinSet<String> pollers = new JoinSet<>(runtime)) {
                for (String feed : List.of("news", "weather", "sports")) {
                    pollers.spawn(poll(feed, shutdown.child()));
                }
                shutdown.cancel();
                for (String feed; (feed = runtime.blockOn(pollers.joinNext())) != null; ) {
                    stopped.add(feed);
                }
            }
            assertThat(stopped).containsExactlyInAnyOrder("news", "weather", "sports");
        }
    }

    static Future<String> poll(String feed, CancellationToken stop) {
        Future<Void> work = Async.sleep(Duration.ofHours(1));      // stands for the feed's loop
        return Async.select(stop.cancelled(), work).map(ended -> feed);
    }

    @Test
    void coordination_phasesAndAWakeUp() {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            Barrier loaded = new Barrier(3);
            Notify flush = new Notify();
            List<JoinHandle<Boolean>> loaders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                loaders.add(runtime.spawn(loaded.await()));        // true for one: the leader
            }
            long leaders = runtime.blockOn(Async.joinAll(loaders)).stream()
                    .filter(leader -> leader).count();
            flush.notifyOne();                                      // nobody waits: kept
            runtime.blockOn(flush.notified());                      // takes it at once
            assertThat(leaders).isEqualTo(1);
        }
    }

    @Test
    void buffers_acquireUseAndRelease() {
        String decoded;
        BufferPool pool = BufferPool.builder()
                .maxRetainedBytes(32 * 1024 * 1024)
                .leakDetection(LeakDetection.PARANOID)
                .build();
        try (PooledBuffer message = pool.acquire(1500)) {
            ByteBuffer b = message.buffer();
            assertThat(message.capacity()).isEqualTo(1536);
            assertThat(b.isDirect()).isTrue();
            b.put("hello".getBytes(US_ASCII)).flip();
            decoded = US_ASCII.decode(b).toString();
        }
        BufferPool.Stats stats = pool.stats();
        assertThat(decoded).isEqualTo("hello");
        assertThat(stats.inUse()).isZero();
        assertThat(stats.retainedBytes()).isEqualTo(1536);
        assertThat(stats.misses(BufferPool.SizeClass.MEDIUM)).isEqualTo(1);
        pool.close();
    }

    @Test
    void buffers_anEchoServerOnPooledBuffers() throws Exception {
        BufferPool pool = BufferPool.create();
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            runtime.register(pool);
            String reply;
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                runtime.spawn(serve(listener, pool));
                reply = runtime.blockOn(ping(listener));
                assertThat(reply).isEqualTo("ping");
            }
        }
        // every connection's buffer was released: by its end, or by its task's abort at shutdown
        assertThat(pool.stats().inUse()).isZero();
        assertThat(pool.stats().allocatedBytes()).isZero(); // the pool, registered, was closed
    }

    private static Future<Void> serve(TcpListener listener, BufferPool pool) {
        return listener.accept().then(stream -> {
            Async.spawn(pool.withBuffer(4096, buffer -> echo(stream, buffer.buffer())));
            return serve(listener, pool);
        });
    }

    @Test
    void buffers_theRuntimesPool_andReadsThatTakeABufferOnlyWhenReady() throws Exception {
        BufferPool pool;
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
                TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
            pool = runtime.buffers();
            runtime.spawn(serveIdleMostly(listener));
            assertThat(runtime.blockOn(ping(listener))).isEqualTo("ping");
            // the reads took 2 KiB buffers (a MEDIUM class) from the runtime's pool
            assertThat(runtime.metrics().buffers().misses(BufferPool.SizeClass.MEDIUM))
                    .isPositive();
        }
        assertThat(pool.stats().allocatedBytes()).isZero(); // the runtime closed its pool
    }

    private static Future<Void> serveIdleMostly(TcpListener listener) {
        return listener.accept().then(stream -> {
            Async.spawn(echoEachRead(stream));
            return serveIdleMostly(listener);
        });
    }

    /** Echoes each read; a connection waiting for its peer holds no buffer. */
    private static Future<Void> echoEachRead(TcpStream stream) {
        return stream.readBuffer().then(in -> {
            if (in == null) {                                           // the peer ended
                stream.close();
                return Async.ready(null);
            }
            return in.use(b -> stream.writeAll(b.buffer()))                 // released when done,
                    .then(written -> echoEachRead(stream));                 // failed or dropped
        });
    }

    @Test
    void shutdown_closesWhatWasRegistered() throws Exception {
        AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
        BufferPool pool = BufferPool.create();
        TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
        runtime.register(pool);
        runtime.register(listener);
        runtime.shutdown(Duration.ofSeconds(5));
        assertThatThrownBy(() -> pool.acquire(64)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the buffer pool is closed");
        try (AsyncRuntime other = AsyncRuntime.currentThread().build()) {
            assertThatThrownBy(() -> other.blockOn(listener.accept()))
                    .hasRootCauseInstanceOf(ClosedChannelException.class);
        }
    }

    @Test
    void micrometer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            new WeftMetrics(runtime, "orders").bindTo(registry); // every meter tagged name=orders
            assertThat(runtime.blockOn(runtime.spawn(Async.ready(1)))).isEqualTo(1);
            assertThat(registry.get("executor.pool.size").tag("name", "orders").gauge().value())
                    .isEqualTo(2);
            assertThat(registry.get("weft.tasks.spawned").tag("name", "orders")
                    .functionCounter().count()).isEqualTo(1);
        }
    }

    @Test
    void metricsWindow() {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            RuntimeMetrics before = runtime.metrics();
            for (int i = 0; i < 1_000; i++) {
                runtime.blockOn(runtime.spawn(Async.ready(i)));
            }
            RuntimeMetrics.Window window = runtime.metrics().since(before);
            assertThat(window.tasksPerSecond()).isPositive();
            assertThat(window.utilization()).isBetween(0.0, 1.0);
            assertThat(window.workerUtilization()).hasSize(2);
            assertThat(window.meanPollTime()).isPositive();
            assertThat(window.pollTimes().percentile(0.99)).isPositive();
            assertThat(window.gcPressure()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void builderOptions_blockingWork_andTheExecutorServiceView() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        AsyncRuntime runtime = AsyncRuntime.builder()
                .workerThreads(8)
                .threadNamePrefix("orders-")
                .threadStackSize(512 * 1024)
                .maxQueueSize(100_000)
                .workStealing(true)
                .priorityScheduling(true)
                .starvationThreshold(Duration.ofMillis(100))
                .maxBlockingThreads(64)
                .blockingKeepAlive(Duration.ofSeconds(30))
                .onWorkerStart(() -> log.add("worker up"))
                .onWorkerStop(() -> log.add("worker down"))
                .shutdownTimeout(Duration.ofSeconds(5))
                .clock(Clock.system())
                .cleanupThreshold(100)
                .longPollThreshold(Duration.ofMillis(100))
                .build();
        try {
            Path path = Files.createTempFile("weft-readme", ".bin");
            Files.write(path, new byte[] {1, 2, 3});
            JoinHandle<byte[]> file = runtime.spawnBlocking(() -> Files.readAllBytes(path));
            JoinHandle<Integer> length = runtime.spawn(file.map(bytes -> bytes.length));
            assertThat(length.join()).isEqualTo(3);
            Files.delete(path);

            ExecutorService executor = runtime.asExecutorService();
            assertThat(executor.submit(() -> Thread.currentThread().getName()).get())
                    .startsWith("orders-");
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            runtime.close();
        }
        assertThat(log).containsOnly("worker up", "worker down").hasSize(16);
    }

    @Test
    void prioritiesAndDeadlines() {
        List<String> order = new CopyOnWriteArrayList<>();
        Supplier<Future<String>> fetchQuote = () -> cx -> {
            order.add("quote");
            return Poll.ready("42.0");
        };
        Supplier<Future<Void>> compact = () -> cx -> {
            order.add("compact");
            return Poll.ready(null);
        };
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            runtime.blockOn(cx -> {
                // from inside a task, queued first
                Async.spawn(TaskOptions.priority(Priority.BACKGROUND), compact.get());
                return Poll.ready(null);
            });
            TaskOptions quote = TaskOptions.priority(Priority.HIGH)
                    .deadline(Instant.now().plusMillis(5))
                    .name("quote");
            runtime.spawn(quote, fetchQuote.get());
            runtime.runUntilStalled();
        }
        assertThat(order).as("HIGH before BACKGROUND, whatever the spawn order")
                .containsExactly("quote", "compact");
    }

    static final class Gate implements Future<Void> {
        private final AtomicBoolean open = new AtomicBoolean();
        private final AtomicReference<Waker> waker = new AtomicReference<>();

        void open() {
            open.set(true);
            Waker w = waker.get();
            if (w != null) {
                w.wake();
            }
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (open.get()) {
                return Poll.ready(null);
            }
            waker.set(cx.waker());
            return open.get() ? Poll.ready(null) : Poll.pending();
        }
    }

    @Test
    void spawningAwaitingAborting() {
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            Gate gate = new Gate();
            JoinHandle<String> h = runtime.spawn(TaskOptions.priority(Priority.HIGH).name("fetch"),
                    gate.map(v -> "opened"));
            assertThat(h.isDone()).isFalse();
            assertThat(h.abort()).isTrue();
            assertThat(h.toCompletableFuture().isCancelled()).isTrue();
            assertThatThrownBy(h::join).isInstanceOf(TaskCancelledException.class)
                    .hasMessageContaining("task 'fetch'");

            Gate other = new Gate();
            JoinHandle<String> opened = runtime.spawn(other.map(v -> "opened"));
            Thread opener = new Thread(other::open);
            opener.start();
            assertThat(opened.join()).isEqualTo("opened");
        }
    }

    @Test
    void failuresRecover() {
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            Future<Integer> riskyFuture = cx -> {
                throw new IllegalStateException("no luck");
            };
            int n = runtime.blockOn(riskyFuture.recover(e -> -1));
            assertThat(n).isEqualTo(-1);
        }
    }

    @Test
    void timers_onAnAutoAdvancingManualClock() {
        ManualClock clock = new ManualClock(Instant.parse("2029-12-31T23:00:00Z"))
                .autoAdvance(true);
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).clock(clock).build()) {
            JoinHandle<String> later = runtime.spawn(
                    Async.sleep(Duration.ofMillis(250)).map(v -> "a quarter of a second later"));
            assertThat(runtime.blockOn(later)).isEqualTo("a quarter of a second later");
            runtime.blockOn(Async.sleepUntil(Instant.parse("2030-01-01T00:00:00Z")));
            assertThat(clock.instant()).isAfterOrEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
            Future<String> fetchQuote = Async.sleep(Duration.ofSeconds(3)).map(v -> "quote");
            assertThatThrownBy(() -> runtime.blockOn(fetchQuote.timeout(Duration.ofSeconds(2))))
                    .isInstanceOf(DeadlineExceededException.class);
            Interval every = Async.interval(Duration.ofSeconds(1))
                    .missedTickBehavior(MissedTickBehavior.SKIP);
            Instant first = runtime.blockOn(every.tick());
            Instant second = runtime.blockOn(every.tick());
            assertThat(Duration.between(first, second)).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void testingWithAManualClock() {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (AsyncRuntime rt = AsyncRuntime.currentThread().clock(clock).build()) {
            JoinHandle<Void> nap = rt.spawn(Async.sleep(Duration.ofSeconds(5)));
            rt.runUntilStalled();
            assertThat(nap.isDone()).isFalse();
            clock.advance(Duration.ofSeconds(5));
            rt.runUntilStalled();
            assertThat(nap.isDone()).isTrue();
        }
    }

    @Test
    void networkIo_anEchoOverLoopback() throws Exception {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build()) {
            String reply;
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                runtime.spawn(acceptLoop(listener));
                reply = runtime.blockOn(ping(listener));
            }
            assertThat(reply).isEqualTo("ping");
        }
    }

    /** Connects, sends "ping", and reads the 4-byte echo. */
    private static Future<String> ping(TcpListener listener) {
        return TcpStream.connect(listener.localAddress()).then(stream -> {
            ByteBuffer in = ByteBuffer.allocate(4);
            return stream.writeAll(ByteBuffer.wrap("ping".getBytes(US_ASCII)))
                    .then(v -> stream.readExact(in))
                    .map(v -> {
                        stream.close();
                        return new String(in.array(), US_ASCII);
                    });
        });
    }

    private static Future<Void> acceptLoop(TcpListener listener) {
        return listener.accept().then(stream -> {
            Async.spawn(echo(stream, ByteBuffer.allocate(4096)));
            return acceptLoop(listener);
        });
    }

    private static Future<Void> echo(TcpStream stream, ByteBuffer buffer) {
        return stream.read(buffer.clear()).then(n -> n < 0
                ? stream.closeAsync()
                : stream.writeAll(buffer.flip()).then(v -> echo(stream, buffer)));
    }
}
