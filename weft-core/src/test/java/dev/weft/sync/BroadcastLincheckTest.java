package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Poll;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Broadcast} of capacity 2 is linearizable against {@link Model} in stress and
 * model-checking modes: send and close from any thread, two receivers (one task each) that
 * receive, poll again and drop, so that a lag, a close and a send race a waiting receive. After
 * each scenario: a receiver waiting while a message or the close it had not had exists was woken.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class BroadcastLincheckTest {

    private final Broadcast<Integer> broadcast = new Broadcast<>(2);
    private final Waiter a = new Waiter(broadcast.subscribe());
    private final Waiter b = new Waiter(broadcast.subscribe());

    /** Lincheck creates one per scenario. */
    public BroadcastLincheckTest() {
    }

    /** One task's receiver and its receive() future. */
    private final class Waiter extends TaskStandIn {
        private final Broadcast.Receiver<Integer> receiver;
        private Future<Integer> future;
        private boolean waited;
        private String stateBefore;

        Waiter(Broadcast.Receiver<Integer> receiver) {
            this.receiver = receiver;
        }

        String receive() {
            if (future != null) {
                return "busy";
            }
            future = receiver.receive();
            return poll();
        }

        String poll() {
            if (future == null) {
                return "none";
            }
            polling();
            stateBefore = broadcast.toString();
            try {
                Poll<Integer> p = future.poll(this);
                if (!p.isReady()) {
                    waited = true;
                    return "pending";
                }
                future = null;
                waited = false;
                return "got " + p.value();
            } catch (LaggedException lagged) {
                future = null;
                waited = false;
                return "lagged " + lagged.missed();
            }
        }

        String drop() {
            if (future == null) {
                return "none";
            }
            ((dev.weft.task.Droppable) future).drop();
            future = null;
            waited = false;
            return "dropped";
        }

        void check() {
            if (future != null && waited && !woken() && !broadcast.toString().equals(stateBefore)) {
                throw new IllegalStateException("lost wakeup: a send or close after the wait "
                        + "began, and the waiting receiver not woken");
            }
        }
    }

    @Operation
    public String send(@Param(gen = IntGen.class, conf = "1:3") int v) {
        try {
            broadcast.send(v);
            return "sent";
        } catch (ChannelClosedException closed) {
            return "closed";
        }
    }

    @Operation
    public void close() {
        broadcast.close();
    }

    @Operation(nonParallelGroup = "a")
    public String receiveA() {
        return a.receive();
    }

    @Operation(nonParallelGroup = "a")
    public String pollA() {
        return a.poll();
    }

    @Operation(nonParallelGroup = "a")
    public String dropA() {
        return a.drop();
    }

    @Operation(nonParallelGroup = "b")
    public String receiveB() {
        return b.receive();
    }

    @Operation(nonParallelGroup = "b")
    public String pollB() {
        return b.poll();
    }

    @Validate
    public void invariants() {
        a.check();
        b.check();
    }

    @Test
    void modelChecking() {
        LincheckRuns.modelCheck(BroadcastLincheckTest.class, Model.class);
    }

    @Test
    void stress() {
        LincheckRuns.stress(BroadcastLincheckTest.class, Model.class);
    }

    /** A broadcast of two, sequential. */
    public static final class Model {
        private final List<Integer> sent = new ArrayList<>();
        private boolean closed;
        private final int[] next = new int[2];
        private final boolean[] waiting = new boolean[2];

        /** Lincheck creates one per sequential run. */
        public Model() {
        }

        public String send(int v) {
            if (closed) {
                return "closed";
            }
            sent.add(v);
            return "sent";
        }

        public void close() {
            closed = true;
        }

        public String receiveA() {
            return receive(0);
        }

        public String pollA() {
            return poll(0);
        }

        public String dropA() {
            if (!waiting[0]) {
                return "none";
            }
            waiting[0] = false;
            return "dropped";
        }

        public String receiveB() {
            return receive(1);
        }

        public String pollB() {
            return poll(1);
        }

        private String receive(int r) {
            if (waiting[r]) {
                return "busy";
            }
            waiting[r] = true;
            return poll(r);
        }

        private String poll(int r) {
            if (!waiting[r]) {
                return "none";
            }
            int oldest = Math.max(0, sent.size() - 2);
            if (next[r] < oldest) {
                int missed = oldest - next[r];
                next[r] = oldest;
                waiting[r] = false;
                return "lagged " + missed;
            }
            if (next[r] < sent.size()) {
                waiting[r] = false;
                return "got " + sent.get(next[r]++);
            }
            if (closed) {
                waiting[r] = false;
                return "got null";
            }
            return "pending";
        }
    }
}
