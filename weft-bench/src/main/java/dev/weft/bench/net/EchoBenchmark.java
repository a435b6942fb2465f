package dev.weft.bench.net;

import dev.weft.RuntimeMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * TCP echo over loopback: Weft's {@code EchoServer} against the same server on Netty's NIO and
 * native epoll transports, driven by one load generator ({@link EchoLoad}) on the benchmark
 * thread. The score is round trips (messages echoed) per second.
 *
 * <p>Besides the score, each trial prints one {@code echo-stats} line: the round trip's p50 and
 * p99 over the measured iterations (HdrHistogram), and per message the server threads' voluntary
 * context switches (each a thread that slept and was woken) and, for Weft, its selects and the
 * selects a wake ended. {@code weft-bench/scripts/echo-table.py} turns a run's results and those
 * lines into the tables of docs/performance.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class EchoBenchmark {

    /** Round trips per invocation: one per connection, on average, at 1,000 connections. */
    static final int BATCH = 1_000;

    /** The server: {@code weft}, {@code nettyNio} or {@code nettyEpoll}. */
    @Param({"weft", "nettyNio", "nettyEpoll"})
    public String server;

    /** Bytes per message. */
    @Param({"64", "4096"})
    public int size;

    /** Connections, each with one message in flight. */
    @Param({"1", "64", "1000"})
    public int connections;

    /** The server's threads, which accept and serve alike. */
    @Param({"1", "2"})
    public int threads;

    private Servers.Server echo;
    private EchoLoad load;
    private long switchesAtStart;
    private RuntimeMetrics.IoMetrics ioAtStart;
    private long measuredSwitches;
    private long measuredSelects;
    private long measuredWakeups;
    private long measuredEvents;

    @Setup(Level.Trial)
    public void start() throws IOException {
        echo = Servers.echo(server, threads,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        load = new EchoLoad(echo.address(), connections, size);
    }

    @Setup(Level.Iteration)
    public void beginIteration(IterationParams iteration) {
        boolean measured = iteration.getType() == IterationType.MEASUREMENT;
        load.recording(measured);
        switchesAtStart = ThreadSwitches.voluntary(Servers.THREAD_PREFIX);
        RuntimeMetrics m = echo.weftMetrics();
        ioAtStart = m == null ? null : m.io();
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
        if (iteration.getType() != IterationType.MEASUREMENT) {
            return;
        }
        measuredSwitches += ThreadSwitches.voluntary(Servers.THREAD_PREFIX) - switchesAtStart;
        RuntimeMetrics m = echo.weftMetrics();
        if (m != null) {
            measuredSelects += m.io().selects() - ioAtStart.selects();
            measuredWakeups += m.io().selectWakeups() - ioAtStart.selectWakeups();
            measuredEvents += m.io().readinessEvents() - ioAtStart.readinessEvents();
        }
    }

    @TearDown(Level.Trial)
    public void stop(BenchmarkParams params) throws IOException {
        try {
            Histogram h = load.roundTrips();
            double messages = Math.max(1, h.getTotalCount());
            System.out.println(String.format(Locale.ROOT,
                    "echo-stats {\"server\":\"%s\",\"size\":%d,\"connections\":%d,\"threads\":%d,"
                            + "\"roundTrips\":%d,\"p50us\":%.1f,\"p99us\":%.1f,"
                            + "\"switchesPerMsg\":%.4f,\"selectsPerMsg\":%s,"
                            + "\"wakeupsPerMsg\":%s,\"eventsPerMsg\":%s}",
                    server, size, connections, threads, h.getTotalCount(),
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    measuredSwitches / messages,
                    echo.weftMetrics() == null ? "null"
                            : String.format(Locale.ROOT, "%.4f", measuredSelects / messages),
                    echo.weftMetrics() == null ? "null"
                            : String.format(Locale.ROOT, "%.4f", measuredWakeups / messages),
                    echo.weftMetrics() == null ? "null"
                            : String.format(Locale.ROOT, "%.4f", measuredEvents / messages)));
        } finally {
            try {
                load.close();
            } finally {
                echo.close();
            }
        }
    }

    /** Completes {@link #BATCH} round trips, spread over the connections. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void roundTrips() {
        load.run(BATCH);
    }
}
