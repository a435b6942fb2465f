package dev.weft.examples;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import dev.weft.RuntimeMetrics;
import dev.weft.examples.net.EchoClient;
import dev.weft.examples.net.EchoServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The tour's network section: an echo server on one runtime and many clients on another, over
 * loopback; a progress line while they talk, then a table of connections, bytes, round trips per
 * second, and what the I/O driver of each runtime did (selects, readiness events, wakeups).
 */
final class NetworkSection {

    private final int workers;
    private final int connections;
    private final int roundTrips;
    private final int messageBytes;

    NetworkSection(int workers, int connections, int roundTrips, int messageBytes) {
        this.workers = workers;
        this.connections = connections;
        this.roundTrips = roundTrips;
        this.messageBytes = messageBytes;
    }

    /**
     * What the section measured.
     *
     * @param accepted       connections the server accepted
     * @param failed         server connections that ended in an error
     * @param roundTrips     round trips completed, each checked byte for byte
     * @param bytesReceived  bytes the server received (and echoed)
     * @param elapsedNanos   from the first connect to the last echo
     * @param roundTripTimes each round trip's time, in nanoseconds
     * @param server         the server runtime's metrics after its shutdown
     * @param client         the client runtime's metrics after its shutdown
     */
    record Result(long accepted, long failed, long roundTrips, long bytesReceived,
                  long elapsedNanos, Histogram roundTripTimes, RuntimeMetrics server,
                  RuntimeMetrics client) {
    }

    Result run(PrintStream out) {
        out.printf("5. Network: an echo server and %,d clients over loopback, on two runtimes of "
                + "%d workers%n", connections, workers);
        out.printf("   Each client connects, sends %d bytes, reads the echo back and checks it, "
                + "%,d times. Idle workers%n", messageBytes, roundTrips);
        out.printf("   wait in the selector rather than park; a socket's readiness wakes the "
                + "task that waits on it.%n%n");
        Recorder times = new Recorder(3);
        LongAdder done = new LongAdder();
        AsyncRuntime serverRuntime = AsyncRuntime.builder().workerThreads(workers)
                .threadNamePrefix("tour-net-server-").build();
        AsyncRuntime clientRuntime = AsyncRuntime.builder().workerThreads(workers)
                .threadNamePrefix("tour-net-client-").build();
        try {
            Result result = echo(out, serverRuntime, clientRuntime, times, done);
            print(out, result);
            return result;
        } finally {
            clientRuntime.close();
            serverRuntime.close();
        }
    }

    private Result echo(PrintStream out, AsyncRuntime serverRuntime, AsyncRuntime clientRuntime,
            Recorder times, LongAdder done) {
        EchoServer server;
        try {
            server = EchoServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("the echo server could not bind loopback", e);
        }
        try {
            serverRuntime.spawn(server.serve());
            long total = (long) connections * roundTrips;
            long start = System.nanoTime();
            Thread progress = progress(out, done, total, start, serverRuntime);
            List<JoinHandle<Long>> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                clients.add(clientRuntime.spawn(EchoClient.roundTrips(server.address(),
                        messageBytes, roundTrips, nanos -> {
                            times.recordValue(nanos);
                            done.increment();
                        })));
            }
            List<Long> echoed;
            try {
                echoed = clientRuntime.blockOn(Async.joinAll(clients));
            } finally {
                progress.interrupt();
                join(progress);
            }
            long elapsed = System.nanoTime() - start;
            long checked = echoed.stream().mapToLong(Long::longValue).sum() / messageBytes;
            server.close(); // the accept loop ends, so the server runtime can shut down cleanly
            shutdown(clientRuntime);
            shutdown(serverRuntime);
            return new Result(server.connections(), server.connectionsFailed(), checked,
                    server.bytesReceived(), elapsed, times.getIntervalHistogram(),
                    serverRuntime.metrics(), clientRuntime.metrics());
        } finally {
            server.close();
        }
    }

    /**
     * Shuts a runtime down, giving its tasks a second: the server's connection tasks end as soon
     * as they read each client's end, and its accept loop once the listener is closed.
     */
    private static void shutdown(AsyncRuntime runtime) {
        if (!runtime.shutdown(Duration.ofSeconds(1))) {
            throw new IllegalStateException("tasks were still running a second after the echo "
                    + "ended: " + runtime.metrics());
        }
    }

    private static Thread progress(PrintStream out, LongAdder done, long total, long start,
            AsyncRuntime server) {
        CountDownLatch never = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            long lastDone = 0;
            long lastTime = start;
            try {
                while (!never.await(250, TimeUnit.MILLISECONDS)) {
                    long now = System.nanoTime();
                    long doneNow = done.sum();
                    out.println(line(doneNow, total, now - start,
                            (doneNow - lastDone) / Math.max(1e-9, (now - lastTime) / 1e9),
                            server.metrics()));
                    lastDone = doneNow;
                    lastTime = now;
                }
            } catch (InterruptedException stopped) {
                // the echo is over: the section prints its table next
            }
        }, "tour-net-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static String line(long done, long total, long elapsedNanos, double perSecond,
            RuntimeMetrics server) {
        int width = 24;
        int filled = (int) Math.min(width, done * width / Math.max(1, total));
        return String.format("   [%5.2f s] %s%s %,9d / %,d round trips, %,8.0f /s   server: "
                        + "sockets %,4d, readiness events %,9d",
                elapsedNanos / 1e9, "#".repeat(filled), ".".repeat(width - filled), done, total,
                perSecond, server.io().sockets(), server.io().readinessEvents());
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void print(PrintStream out, Result r) {
        out.println();
        Histogram h = r.roundTripTimes();
        double seconds = r.elapsedNanos() / 1e9;
        new Table("echo over loopback", "")
                .row("connections (the server accepted)", r.accepted())
                .row("  ended in an error", r.failed())
                .row("round trips, each checked byte for byte", r.roundTrips())
                .row("bytes each way", String.format("%,.1f MB", r.bytesReceived() / 1e6))
                .row("time", String.format("%.2f s", seconds))
                .row("round trips per second", String.format("%,.0f", r.roundTrips() / seconds))
                .row("round trip p50 / p99 / max", String.format("%s / %s / %s",
                        micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                        micros(h.getMaxValue())))
                .print(out, "   ");
        out.println();
        RuntimeMetrics.IoMetrics s = r.server().io();
        RuntimeMetrics.IoMetrics c = r.client().io();
        double trips = Math.max(1, r.roundTrips());
        new Table("I/O driver (metrics().io())", "server", "client")
                .row("selects", s.selects(), c.selects())
                .row("readiness events", s.readinessEvents(), c.readinessEvents())
                .row("selects a wake ended (selector wakeups)", s.selectWakeups(),
                        c.selectWakeups())
                .row("selector wakeups per round trip", perTrip(s.selectWakeups(), trips),
                        perTrip(c.selectWakeups(), trips))
                .row("tasks spawned (a task per connection)", r.server().tasksSpawned(),
                        r.client().tasksSpawned())
                .row("polls per round trip", perTrip(r.server().polls(), trips),
                        perTrip(r.client().polls(), trips))
                .row("sockets open after shutdown", s.sockets(), c.sockets())
                .print(out, "   ");
        out.println();
    }

    private static String perTrip(long count, double trips) {
        return String.format("%.3f", count / trips);
    }

    private static String micros(long nanos) {
        return nanos >= 10_000_000 ? String.format("%.0f ms", nanos / 1e6)
                : String.format("%.0f us", nanos / 1e3);
    }
}
