package dev.weft.net;

import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The child JVM of {@link FdExhaustionTest}, started under a low {@code ulimit -n}: a listener
 * accepts once; then every descriptor is taken and an accept fails; the runtime goes on; the
 * descriptors are freed and the connection that waited is accepted and serves. Prints what it
 * saw, and exits 0 only if all of it happened.
 */
public final class FdExhaustionChild {

    private FdExhaustionChild() {
    }

    /**
     * Runs the scenario.
     *
     * @param args none
     * @throws Exception if a step fails, which exits non-zero
     */
    public static void main(String[] args) throws Exception {
        preloadWeft();
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
                TcpListener listener = TcpListener.bind(TcpEchoTest.loopback())) {
            Socket first = new Socket(listener.localAddress().getAddress(),
                    listener.localAddress().getPort());
            runtime.blockOn(runtime.spawn(listener.accept())).close();
            first.close();
            // The failure path, once with descriptors to spare, so its classes are loaded: under
            // exhaustion no class file could be opened.
            try {
                runtime.blockOn(runtime.spawn(cx -> {
                    throw new UncheckedIOException(new IOException("warm-up"));
                }));
            } catch (UncheckedIOException expected) {
                System.out.println("warm-up failure seen");
            }

            // Connected before the exhaustion: the kernel queues them until an accept takes one.
            // More than one: a descriptor the JVM frees late (a close it deferred) can let one
            // accept through after the hogs took the rest; that stream then keeps it, and the
            // exhaustion is tried again.
            List<Socket> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(new Socket(listener.localAddress().getAddress(),
                        listener.localAddress().getPort()));
            }
            List<AutoCloseable> hogs = new ArrayList<>();
            boolean failed = false;
            for (int attempt = 0; attempt < waiting.size() - 1 && !failed; attempt++) {
                try {
                    while (true) {
                        hogs.add(new FileInputStream("/dev/null"));
                    }
                } catch (IOException exhausted) {
                    System.out.println("descriptors taken: " + hogs.size() + " ("
                            + exhausted.getMessage() + ")");
                }
                try {
                    hogs.add(runtime.blockOn(runtime.spawn(listener.accept())));
                    System.out.println("a descriptor was freed late; exhausting again");
                } catch (UncheckedIOException e) {
                    System.out.println("accept failed: " + e.getCause());
                    failed = true;
                }
            }
            if (!failed) {
                throw new AssertionError("accepts succeeded with every descriptor taken");
            }
            int alive = runtime.blockOn(runtime.spawn(cx -> Poll.ready(41))) + 1;
            for (AutoCloseable hog : hogs) {
                hog.close();
            }
            System.out.println("runtime alive: " + alive);

            JoinHandle<TcpStream> again = runtime.spawn(listener.accept());
            try (TcpStream served = runtime.blockOn(again)) {
                for (Socket client : waiting) { // whichever the accept took reads it
                    OutputStream out = client.getOutputStream();
                    out.write(7);
                    out.flush();
                }
                ByteBuffer one = ByteBuffer.allocate(1);
                runtime.blockOn(served.readExact(one));
                System.out.println("accepted again, read " + one.get(0));
            }
            for (Socket client : waiting) {
                client.close();
            }
        }
    }

    /**
     * Loads every class of Weft's main code while descriptors are free: under exhaustion no class
     * file can be opened, and a worker that needed one would die of a NoClassDefFoundError. (The
     * JDK's classes come from its module image, which is open already.)
     */
    private static void preloadWeft() throws IOException, ClassNotFoundException {
        Path classes = Path.of(AsyncRuntime.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList());
        }
        for (Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.');
            if (!name.equals("module-info.class")) {
                Class.forName(name.substring(0, name.length() - ".class".length()), false,
                        FdExhaustionChild.class.getClassLoader());
            }
        }
        System.out.println("preloaded " + files.size() + " classes");
    }
}
