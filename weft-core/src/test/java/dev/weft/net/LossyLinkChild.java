package dev.weft.net;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The child JVM of {@link LossyLinkTest}, started in a network namespace whose loopback drops and
 * delays packets: sends {@value #BYTES} pseudo-random bytes from one task to another over TCP and
 * checks that they arrive whole and in order (count and CRC-32). Exits 0 only if they do.
 */
public final class LossyLinkChild {

    static final int BYTES = 8 * 1024 * 1024;

    private LossyLinkChild() {
    }

    /**
     * Runs the transfer.
     *
     * @param args none
     * @throws Exception if the transfer fails, which exits non-zero
     */
    public static void main(String[] args) throws Exception {
        byte[] data = new byte[BYTES];
        new Random(8).nextBytes(data);
        CRC32 sent = new CRC32();
        sent.update(data);
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
                TcpListener listener = TcpListener.bind(TcpEchoTest.loopback())) {
            JoinHandle<long[]> received = runtime.spawn(listener.accept().then(Sink::new));
            long start = System.nanoTime();
            runtime.blockOn(TcpStream.connect(listener.localAddress()).then(stream ->
                    stream.writeAll(ByteBuffer.wrap(data)).map(v -> {
                        stream.shutdownOutput();
                        return null;
                    })));
            long[] result = runtime.blockOn(received);
            System.out.printf("received %d of %d bytes in %.1f s, crc %s%n", result[0], BYTES,
                    (System.nanoTime() - start) / 1e9,
                    result[1] == sent.getValue() ? "matches" : "DIFFERS");
            if (result[0] != BYTES || result[1] != sent.getValue()) {
                System.exit(1);
            }
        }
    }

    /** Reads until the peer's end; completes with {bytes read, their CRC-32}. */
    private static final class Sink implements Future<long[]> {
        private final TcpStream stream;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private final CRC32 crc = new CRC32();
        private long bytes;

        Sink(TcpStream stream) {
            this.stream = stream;
        }

        @Override
        public Poll<long[]> poll(Context cx) {
            while (true) {
                Poll<Integer> read = stream.pollRead(cx, buffer.clear());
                if (!read.isReady()) {
                    return Poll.pending();
                }
                if (read.value() < 0) {
                    stream.close();
                    return Poll.ready(new long[] {bytes, crc.getValue()});
                }
                bytes += read.value();
                crc.update(buffer.flip());
            }
        }
    }
}
