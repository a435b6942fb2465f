package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Poll;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Barrier} of two parties is linearizable against {@link Model} in stress and
 * model-checking modes: three tasks that await, poll again and drop. After each scenario: a
 * released await was woken.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class BarrierLincheckTest {

    private final Barrier barrier = new Barrier(2);
    private final Waiter a = new Waiter();
    private final Waiter b = new Waiter();
    private final Waiter c = new Waiter();

    /** Lincheck creates one per scenario. */
    public BarrierLincheckTest() {
    }

    /** One task's await. */
    private final class Waiter extends TaskStandIn {
        private Future<Boolean> future;
        private boolean waited;

        String await() {
            if (future != null) {
                return "busy";
            }
            future = barrier.await();
            return poll();
        }

        String poll() {
            if (future == null) {
                return "none";
            }
            polling();
            Poll<Boolean> p = future.poll(this);
            if (!p.isReady()) {
                waited = true;
                return "pending";
            }
            future = null;
            waited = false;
            return p.value() ? "leader" : "released";
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
            if (future != null && waited && !woken()
                    && ((Barrier.Await) future).status == Barrier.Await.RELEASED) {
                throw new IllegalStateException("lost wakeup: a released await, not woken");
            }
        }
    }

    @Operation(nonParallelGroup = "a")
    public String awaitA() {
        return a.await();
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
    public String awaitB() {
        return b.await();
    }

    @Operation(nonParallelGroup = "b")
    public String pollB() {
        return b.poll();
    }

    @Operation(nonParallelGroup = "c")
    public String awaitC() {
        return c.await();
    }

    @Operation(nonParallelGroup = "c")
    public String pollC() {
        return c.poll();
    }

    @Validate
    public void invariants() {
        a.check();
        b.check();
        c.check();
    }

    @Test
    void modelChecking() {
        LincheckRuns.modelCheck(BarrierLincheckTest.class, Model.class);
    }

    @Test
    void stress() {
        LincheckRuns.stress(BarrierLincheckTest.class, Model.class);
    }

    /** A barrier of two, sequential. */
    public static final class Model {
        private final List<ModelWaiter> arrived = new ArrayList<>();
        private final ModelWaiter a = new ModelWaiter();
        private final ModelWaiter b = new ModelWaiter();
        private final ModelWaiter c = new ModelWaiter();

        /** Lincheck creates one per sequential run. */
        public Model() {
        }

        /** A task's await: waiting, or released and not yet polled. */
        private static final class ModelWaiter {
            boolean waiting;
            boolean released;
        }

        public String awaitA() {
            return await(a);
        }

        public String pollA() {
            return poll(a);
        }

        public String dropA() {
            if (!a.waiting && !a.released) {
                return "none";
            }
            arrived.remove(a);
            a.waiting = false;
            a.released = false;
            return "dropped";
        }

        public String awaitB() {
            return await(b);
        }

        public String pollB() {
            return poll(b);
        }

        public String awaitC() {
            return await(c);
        }

        public String pollC() {
            return poll(c);
        }

        private String await(ModelWaiter w) {
            if (w.waiting || w.released) {
                return "busy";
            }
            if (arrived.size() + 1 == 2) {
                for (ModelWaiter other : arrived) {
                    other.waiting = false;
                    other.released = true;
                }
                arrived.clear();
                return "leader";
            }
            w.waiting = true;
            arrived.add(w);
            return "pending";
        }

        private String poll(ModelWaiter w) {
            if (w.released) {
                w.released = false;
                return "released";
            }
            return w.waiting ? "pending" : "none";
        }
    }
}
