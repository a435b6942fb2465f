package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Poll;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Notify} is linearizable against {@link Model}, in stress and model-checking modes:
 * notifyOne and notifyWaiters from any thread, and two tasks (one operation group each) that
 * create a {@code notified()} future, poll it, and drop it, so that a stored permit, the FIFO
 * choice, futures created before a notifyWaiters, and a chosen waiter dropped before it saw its
 * notification race each other. After each scenario: a waiter that was notified was woken.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class NotifyLincheckTest {

    private final Notify notify = new Notify();
    private final Waiter a = new Waiter();
    private final Waiter b = new Waiter();

    /** Lincheck creates one per scenario. */
    public NotifyLincheckTest() {
    }

    /** One task's notified() future. */
    private final class Waiter extends TaskStandIn {
        private Future<Void> future;
        private boolean waited;

        String create() {
            if (future != null) {
                return "busy";
            }
            future = notify.notified();
            waited = false;
            return "created";
        }

        String poll() {
            if (future == null) {
                return "none";
            }
            polling();
            Poll<Void> p = future.poll(this);
            if (!p.isReady()) {
                waited = true;
                return "pending";
            }
            future = null;
            return "notified";
        }

        String drop() {
            if (future == null) {
                return "none";
            }
            ((Notified) future).drop();
            future = null;
            return "dropped";
        }

        void check() {
            if (future == null || !waited || woken()) {
                return;
            }
            int s = ((Notified) future).status;
            if (s == Notified.NOTIFIED_ONE || s == Notified.NOTIFIED_ALL) {
                throw new IllegalStateException("lost wakeup: a waiter notified, not woken");
            }
        }
    }

    @Operation
    public void notifyOne() {
        notify.notifyOne();
    }

    @Operation
    public void notifyWaiters() {
        notify.notifyWaiters();
    }

    @Operation(nonParallelGroup = "a")
    public String createA() {
        return a.create();
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
    public String createB() {
        return b.create();
    }

    @Operation(nonParallelGroup = "b")
    public String pollB() {
        return b.poll();
    }

    @Operation(nonParallelGroup = "b")
    public String dropB() {
        return b.drop();
    }

    @Validate
    public void invariants() {
        a.check();
        b.check();
    }

    @Test
    void modelChecking() {
        LincheckRuns.modelCheck(NotifyLincheckTest.class, Model.class);
    }

    @Test
    void stress() {
        LincheckRuns.stress(NotifyLincheckTest.class, Model.class);
    }

    /** A notify, sequential. */
    public static final class Model {
        private boolean permit;
        private int calls;
        private final ArrayDeque<ModelWaiter> queue = new ArrayDeque<>();
        private final ModelWaiter a = new ModelWaiter();
        private final ModelWaiter b = new ModelWaiter();

        /** Lincheck creates one per sequential run. */
        public Model() {
        }

        /** A future: created (with the count of notifyWaiters then), polled, queued, notified. */
        private static final class ModelWaiter {
            boolean exists;
            boolean polled;
            boolean queued;
            boolean notifiedOne;
            boolean notifiedAll;
            int createdAt;
        }

        public void notifyOne() {
            ModelWaiter w = queue.pollFirst();
            if (w == null) {
                permit = true;
            } else {
                w.queued = false;
                w.notifiedOne = true;
            }
        }

        public void notifyWaiters() {
            calls++;
            for (ModelWaiter w : queue) {
                w.queued = false;
                w.notifiedAll = true;
            }
            queue.clear();
        }

        public String createA() {
            return create(a);
        }

        public String pollA() {
            return poll(a);
        }

        public String dropA() {
            return drop(a);
        }

        public String createB() {
            return create(b);
        }

        public String pollB() {
            return poll(b);
        }

        public String dropB() {
            return drop(b);
        }

        private String create(ModelWaiter w) {
            if (w.exists) {
                return "busy";
            }
            w.exists = true;
            w.polled = false;
            w.queued = false;
            w.notifiedOne = false;
            w.notifiedAll = false;
            w.createdAt = calls;
            return "created";
        }

        private String poll(ModelWaiter w) {
            if (!w.exists) {
                return "none";
            }
            if (!w.polled) {
                w.polled = true;
                if (calls != w.createdAt || permit) {
                    if (calls == w.createdAt) {
                        permit = false;
                    }
                    w.exists = false;
                    return "notified";
                }
                w.queued = true;
                queue.addLast(w);
                return "pending";
            }
            if (w.notifiedOne || w.notifiedAll) {
                w.exists = false;
                return "notified";
            }
            return "pending";
        }

        private String drop(ModelWaiter w) {
            if (!w.exists) {
                return "none";
            }
            w.exists = false;
            if (w.queued) {
                queue.remove(w);
                w.queued = false;
            } else if (w.notifiedOne) {
                notifyOne(); // passed on
            }
            return "dropped";
        }
    }
}
