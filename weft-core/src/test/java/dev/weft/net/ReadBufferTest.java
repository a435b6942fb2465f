package dev.weft.net;

import static dev.weft.net.TcpEchoTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.AsyncRuntime;
import dev.weft.RuntimeKind;
import dev.weft.buffer.PooledBuffer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TcpStream#readBuffer()}: what the socket has, in a buffer of the runtime's pool taken
 * only once the socket is readable, ready to read; null at the end of the stream; and the size of
 * the next buffer following the stream, as the reads fill theirs or leave them mostly empty.
 */
class ReadBufferTest {

    /** A loopback connection: a blocking client socket, and the runtime's accepted stream. */
    private record Connection(Socket client, TcpStream server) implements AutoCloseable {
        static Connection open(AsyncRuntime runtime) throws Exception {
            try (TcpListener listener = TcpListener.bind(loopback())) {
                Socket client = new Socket(listener.localAddress().getAddress(),
                        listener.localAddress().getPort());
                return new Connection(client, runtime.blockOn(listener.accept()));
            }
        }

        void send(byte[] bytes) throws java.io.IOException {
            OutputStream out = client.getOutputStream();
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws java.io.IOException {
            client.close();
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void aRead_comesInAPooledBufferReadyToRead_andTheEndAsNull(RuntimeKind kind)
            throws Exception {
        try (AsyncRuntime runtime = kind.build();
                Connection c = Connection.open(runtime)) {
            c.send("hello".getBytes(StandardCharsets.US_ASCII));

            PooledBuffer in = runtime.blockOn(c.server().readBuffer());
            assertThat(in.buffer().position()).isZero();
            assertThat(in.buffer().limit()).isEqualTo(5);
            byte[] got = new byte[5];
            in.buffer().get(got);
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(in.capacity()).isEqualTo(TcpStream.FIRST_READ);
            assertThat(runtime.metrics().buffers().inUse()).isOne();
            in.release();

            c.client().shutdownOutput();
            assertThat(runtime.blockOn(c.server().readBuffer())).isNull();
            assertThat(runtime.metrics().buffers().inUse()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void theNextBuffer_doublesAfterAFullRead_andHalvesAfterTwoMostlyEmptyOnes(RuntimeKind kind)
            throws Exception {
        try (AsyncRuntime runtime = kind.build();
                Connection c = Connection.open(runtime)) {
            // 64 KiB in the socket's buffers before the first read (on loopback, a write
            // returns once the receiver's queue has it), then more from another thread
            int first = 64 * 1024;
            int total = 1024 * 1024;
            c.send(new byte[first]);
            Thread rest = new Thread(() -> {
                try {
                    c.send(new byte[total - first]);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            rest.start();
            List<Integer> capacities = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            for (int read = 0; read < total; ) {
                PooledBuffer in = runtime.blockOn(c.server().readBuffer());
                capacities.add(in.capacity());
                counts.add(in.buffer().remaining());
                read += in.buffer().remaining();
                in.release();
            }
            rest.join();
            // 2 + 4 + 8 + 16 + 32 KiB fill their buffers from the first 64 KiB
            assertThat(capacities.subList(0, 6)).containsExactly(2048, 4096, 8192, 16384, 32768,
                    65536);
            // after that, the reads fill theirs or not as the other thread's writes arrive:
            // each next size follows the rule
            int guess = 2048;
            int small = 0;
            for (int i = 0; i < capacities.size(); i++) {
                assertThat(capacities.get(i)).as("read %d of %s", i, counts).isEqualTo(guess);
                int n = counts.get(i);
                if (n == guess) {
                    guess = Math.min(65536, guess * 2);
                    small = 0;
                } else if (n < guess / 4 && ++small == 2) {
                    guess = Math.max(64, guess / 2);
                    small = 0;
                } else if (n >= guess / 4) {
                    small = 0;
                }
            }
            // reads that fill their buffers bring the size to 64 KiB, and clear the count of
            // small ones
            int filled;
            do {
                filled = guess;
                c.send(new byte[filled]);
                PooledBuffer in = runtime.blockOn(c.server().readBuffer());
                assertThat(in.capacity()).isEqualTo(filled);
                assertThat(in.buffer().remaining()).isEqualTo(filled);
                in.release();
                guess = Math.min(65536, filled * 2);
            } while (filled != 65536);

            // two reads of 100 bytes, under a quarter of their 64 KiB: the next is 32 KiB
            for (int i = 0; i < 2; i++) {
                c.send(new byte[100]);
                PooledBuffer in = runtime.blockOn(c.server().readBuffer());
                assertThat(in.buffer().remaining()).isEqualTo(100);
                assertThat(in.capacity()).isEqualTo(65536);
                in.release();
            }
            c.send(new byte[100]);
            PooledBuffer in = runtime.blockOn(c.server().readBuffer());
            assertThat(in.capacity()).isEqualTo(32768);
            in.release();
        }
    }
}
