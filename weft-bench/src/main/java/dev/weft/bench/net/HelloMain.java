package dev.weft.bench.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one peer's HTTP hello server until the process is stopped, for
 * {@code weft-bench/scripts/http-wrk.sh} to load with wrk.
 *
 * <p>usage: {@code HelloMain weft|nettyNio|nettyEpoll THREADS PORT}; prints
 * {@code listening on ADDRESS} once it accepts, and, for each line read from its standard input,
 * {@code allocated BYTES}: the heap bytes the server's threads (named {@code srv-...}) allocated
 * so far, which the script turns into bytes per request between two such lines.
 */
public final class HelloMain {

    private HelloMain() {
    }

    /**
     * Starts the server and waits.
     *
     * @param args the peer, its thread count and the loopback port
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: HelloMain weft|nettyNio|nettyEpoll "
                    + "THREADS PORT; got " + args.length + " arguments");
        }
        Servers.Server server = Servers.hello(args[0], Integer.parseInt(args[1]),
                new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        Integer.parseInt(args[2])));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "hello-main-stop"));
        System.out.println("listening on " + server.address());
        Thread marks = new Thread(HelloMain::answerMarks, "hello-main-marks");
        marks.setDaemon(true);
        marks.start();
        new CountDownLatch(1).await();
    }

    /** Prints what the server's threads allocated so far, once per line of standard input. */
    private static void answerMarks() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                System.out.println("allocated " + serverThreadsAllocated());
                System.out.flush();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long serverThreadsAllocated() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(Servers.THREAD_PREFIX)) {
                long bytes = threads.getThreadAllocatedBytes(t.getId());
                if (bytes > 0) {
                    sum += bytes;
                }
            }
        }
        return sum;
    }
}
