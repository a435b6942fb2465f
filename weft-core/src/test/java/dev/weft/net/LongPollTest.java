package dev.weft.net;

import static dev.weft.net.TcpEchoTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A socket that becomes ready while a worker is stuck in a long poll is served by a worker that
 * is idle (cats-effect's issue 4628 is this case failing for seconds). Two workers, two sockets,
 * each with a reader waiting. Data on the first wakes its reader on the worker that was selecting,
 * whose poll then spins until the second reader is served; data on the second comes only once that
 * worker is stuck, so only the other worker can serve it, and only if it took over the selector.
 * If it did not, the second reader stays pending, the spin gives up after a bound, and the test
 * fails.
 */
class LongPollTest {

    @Test
    void readiness_whileTheSelectingWorkerIsStuckInALongPoll_isServedByTheIdleOne()
            throws Exception {
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(2).build();
                ServerSocket peers = new ServerSocket(0, 2, loopback().getAddress())) {
            TcpStream first = runtime.blockOn(TcpStream.connect(peers.getLocalSocketAddress()));
            Socket firstPeer = peers.accept();
            TcpStream second = runtime.blockOn(TcpStream.connect(peers.getLocalSocketAddress()));
            Socket secondPeer = peers.accept();
            try {
                JoinHandle<Integer> secondReader =
                        runtime.spawn(second.read(ByteBuffer.allocate(16)));
                CountDownLatch stuck = new CountDownLatch(1);
                AtomicBoolean servedWhileStuck = new AtomicBoolean();
                ByteBuffer firstBuffer = ByteBuffer.allocate(16);
                JoinHandle<Void> firstReader = runtime.spawn(new Future<Void>() {
                    @Override
                    public Poll<Void> poll(Context cx) {
                        if (!first.pollRead(cx, firstBuffer).isReady()) {
                            return Poll.pending();
                        }
                        // Woken by readiness: this worker just left the selector. Stay here.
                        stuck.countDown();
                        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                        while (!secondReader.isDone() && System.nanoTime() - giveUp < 0) {
                            Thread.onSpinWait();
                        }
                        servedWhileStuck.set(secondReader.isDone());
                        return Poll.ready(null);
                    }
                });
                TcpBehaviourTest.awaitUntil("both readers to wait", () -> runtime.metrics().io()
                        .sockets() == 2
                        && runtime.metrics()
                                .total(dev.weft.RuntimeMetrics.WorkerMetrics::parks) >= 2);
                firstPeer.getOutputStream().write(1);
                assertThat(stuck.await(20, TimeUnit.SECONDS)).isTrue();
                secondPeer.getOutputStream().write(new byte[] {2, 3});
                runtime.blockOn(firstReader);
                assertThat(servedWhileStuck)
                        .as("the second socket was served while the first's worker was stuck")
                        .isTrue();
                assertThat(runtime.blockOn(secondReader)).isEqualTo(2);
            } finally {
                first.close();
                second.close();
                firstPeer.close();
                secondPeer.close();
            }
        }
    }
}
