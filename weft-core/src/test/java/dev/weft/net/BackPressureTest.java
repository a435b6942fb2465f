package dev.weft.net;

import static dev.weft.net.TcpEchoTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.RuntimeKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 100 MB through a reader slower than its writer: the writer waits rather than the runtime
 * buffering what the reader has not taken. Checked as a bound that holds at every write: what the
 * writer got accepted, minus what the reader took, never exceeds what the two sockets' kernel
 * buffers hold, plus one chunk. A runtime that buffered writes would pass that bound at once.
 */
class BackPressureTest {

    private static final long TOTAL = 100L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    /** The most a socket buffer grows to (Linux autotunes them): the sysctl's third number. */
    private static long largestBuffer(String sysctl) throws IOException {
        // Read line by line: /proc files report a size of 0, which Files.readString trusts.
        String[] values = Files.readAllLines(Path.of("/proc/sys/net/ipv4/" + sysctl)).get(0).trim()
                .split("\\s+");
        return Long.parseLong(values[2]);
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aSlowReader_holdsTheWriterBack_andNothingPilesUpInBetween(RuntimeKind kind)
            throws IOException {
        AtomicLong written = new AtomicLong();
        AtomicLong read = new AtomicLong();
        AtomicLong mostInFlight = new AtomicLong();
        AtomicLong writerWaits = new AtomicLong();
        try (AsyncRuntime runtime = kind.build();
                TcpListener listener = TcpListener.bind(loopback())) {
            JoinHandle<TcpStream> accepted = runtime.spawn(listener.accept());
            TcpStream writerSide = runtime.blockOn(TcpStream.connect(listener.localAddress()));
            TcpStream readerSide = runtime.blockOn(accepted);
            JoinHandle<Void> writer = runtime.spawn(new Future<>() {
                // the one buffer, reused
                private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);

                @Override
                public Poll<Void> poll(Context cx) {
                    while (written.get() < TOTAL) {
                        if (!chunk.hasRemaining()) {
                            chunk.clear();
                        }
                        Poll<Integer> p = writerSide.pollWrite(cx, chunk);
                        if (!p.isReady()) {
                            writerWaits.incrementAndGet();
                            return Poll.pending();
                        }
                        long inFlight = written.addAndGet(p.value()) - read.get();
                        mostInFlight.accumulateAndGet(inFlight, Math::max);
                    }
                    writerSide.shutdownOutput();
                    return Poll.ready(null);
                }
            });
            JoinHandle<Void> reader = runtime.spawn(new Future<>() {
                private final ByteBuffer small = ByteBuffer.allocate(8 * 1024);
                private boolean yielded;

                @Override
                public Poll<Void> poll(Context cx) {
                    if (!yielded) { // slower: one small read per turn, then back of the queue
                        yielded = true;
                        cx.waker().wake();
                        return Poll.pending();
                    }
                    yielded = false;
                    small.clear();
                    Poll<Integer> p = readerSide.pollRead(cx, small);
                    if (!p.isReady()) {
                        yielded = true; // no turn to give up: wait for the data
                        return Poll.pending();
                    }
                    if (p.value() < 0) {
                        return Poll.ready(null);
                    }
                    read.addAndGet(p.value());
                    cx.waker().wake();
                    return Poll.pending();
                }
            });
            runtime.blockOn(Async.join(writer, reader).timeout(Duration.ofSeconds(25)));
            long kernelBuffers = largestBuffer("tcp_wmem") + largestBuffer("tcp_rmem");
            assertThat(read.get()).isEqualTo(TOTAL);
            assertThat(writerWaits.get()).as("the writer was held back").isPositive();
            assertThat(mostInFlight.get()).as("bytes accepted and not yet read, at most")
                    .isLessThanOrEqualTo(kernelBuffers + CHUNK);
            writerSide.close();
            readerSide.close();
        }
    }
}
