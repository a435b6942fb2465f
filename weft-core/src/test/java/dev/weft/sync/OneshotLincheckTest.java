package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Poll;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Oneshot} is linearizable against {@link Model} in stress and model-checking modes: send
 * and close from any thread, two tasks that receive, poll again and drop. After each scenario: a
 * waiting receive of a oneshot that was sent or closed was woken.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class OneshotLincheckTest {

    private final Oneshot<Integer> oneshot = new Oneshot<>();
    private final Waiter a = new Waiter();
    private final Waiter b = new Waiter();

    /** Lincheck creates one per scenario. */
    public OneshotLincheckTest() {
    }

    /** One task's receive. */
    private final class Waiter extends TaskStandIn {
        private Future<Integer> future;
        private boolean waited;

        String receive() {
            if (future != null) {
                return "busy";
            }
            future = oneshot.receive();
            return poll();
        }

        String poll() {
            if (future == null) {
                return "none";
            }
            polling();
            try {
                Poll<Integer> p = future.poll(this);
                if (!p.isReady()) {
                    waited = true;
                    return "pending";
                }
                future = null;
                waited = false;
                return "got " + p.value();
            } catch (ChannelClosedException closed) {
                future = null;
                waited = false;
                return "closed";
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
            if (future != null && waited && !woken() && !oneshot.toString().endsWith("empty]")) {
                throw new IllegalStateException("lost wakeup: a waiting receive, not woken");
            }
        }
    }

    @Operation
    public boolean send(@Param(gen = IntGen.class, conf = "1:2") int v) {
        return oneshot.send(v);
    }

    @Operation
    public void close() {
        oneshot.close();
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
        LincheckRuns.modelCheck(OneshotLincheckTest.class, Model.class);
    }

    @Test
    void stress() {
        LincheckRuns.stress(OneshotLincheckTest.class, Model.class);
    }

    /** A oneshot, sequential. */
    public static final class Model {
        private Integer value;
        private boolean sent;
        private boolean closed;
        private boolean aWaits;
        private boolean bWaits;

        /** Lincheck creates one per sequential run. */
        public Model() {
        }

        public boolean send(int v) {
            if (sent || closed) {
                return false;
            }
            sent = true;
            value = v;
            return true;
        }

        public void close() {
            if (!sent) {
                closed = true;
            }
        }

        private String outcome() {
            return sent ? "got " + value : closed ? "closed" : "pending";
        }

        public String receiveA() {
            if (aWaits) {
                return "busy";
            }
            String o = outcome();
            aWaits = o.equals("pending");
            return o;
        }

        public String pollA() {
            if (!aWaits) {
                return "none";
            }
            String o = outcome();
            aWaits = o.equals("pending");
            return o;
        }

        public String dropA() {
            if (!aWaits) {
                return "none";
            }
            aWaits = false;
            return "dropped";
        }

        public String receiveB() {
            if (bWaits) {
                return "busy";
            }
            String o = outcome();
            bWaits = o.equals("pending");
            return o;
        }

        public String pollB() {
            if (!bWaits) {
                return "none";
            }
            String o = outcome();
            bWaits = o.equals("pending");
            return o;
        }
    }
}
