package dev.weft.bench.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one peer's HTTP hello server until the process is stopped, for
 * {@code weft-bench/scripts/http-wrk.sh} to load with wrk.
 *
 * <p>usage: {@code HelloMain weft|nettyNio|nettyEpoll THREADS PORT}; prints
 * {@code listening on ADDRESS} once it accepts.
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
        new CountDownLatch(1).await();
    }
}
