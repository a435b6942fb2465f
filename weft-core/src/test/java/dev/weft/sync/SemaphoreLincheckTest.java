package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Poll;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The semaphore is linearizable against {@link Model}, a sequential fair semaphore, in stress
 * and model-checking modes: tryAcquire, release, close and the free count from any thread, and
 * two waiters (each its own operation group, as a future is polled by one task at a time) that
 * start an acquire, poll it again (once from another task, with a new waker) and drop it, so that
 * grants, partial grants, a drop while
 * queued or granted, and a close race each other. After each scenario: a waiter granted its
 * permits was woken, and while anyone waits no permit is free.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Param(name = "n", gen = IntGen.class, conf = "1:2")
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class SemaphoreLincheckTest {

    /** Lincheck creates one per scenario. */
    public SemaphoreLincheckTest() {
    }

    private final Semaphore semaphore = new Semaphore(1);
    private final Waiter a = new Waiter();
    private final Waiter b = new Waiter();

    /** One task's acquire future, polled with a waker that records its wakes. */
    private final class Waiter extends TaskStandIn {
        private Future<Void> future;
        /** Another task, for a poll after the future moved to it: a new waker to wake. */
        private final TaskStandIn elsewhere = new TaskStandIn() { };
        private TaskStandIn polledBy = this;

        String acquire(int n) {
            if (future != null) {
                return "busy";
            }
            future = semaphore.acquire(n);
            return poll();
        }

        String poll() {
            return poll(this);
        }

        String poll(TaskStandIn by) {
            if (future == null) {
                return "none";
            }
            polledBy = by;
            by.polling();
            try {
                Poll<Void> p = future.poll(by);
                if (p.isReady()) {
                    future = null; // the permits are the caller's: kept, as a holder would
                    return "ready";
                }
                return "pending";
            } catch (IllegalStateException closed) {
                future = null;
                return "closed";
            }
        }

        String drop() {
            if (future == null) {
                return "none";
            }
            ((Acquire) future).drop();
            future = null;
            return "dropped";
        }

        void check() {
            if (future == null) {
                return;
            }
            int status = ((Acquire) future).status;
            if ((status == Acquire.GRANTED || status == Acquire.CLOSED) && !polledBy.woken()) {
                throw new IllegalStateException("lost wakeup: a waiter " + (status
                        == Acquire.GRANTED ? "granted its permits" : "failed by a close")
                        + " was not woken");
            }
            if (status == Acquire.QUEUED && semaphore.availablePermits() != 0) {
                throw new IllegalStateException(semaphore.availablePermits()
                        + " permits free while a waiter waits");
            }
        }
    }

    @Operation
    public String tryAcquire(@Param(name = "n") int n) {
        try {
            return String.valueOf(semaphore.tryAcquire(n));
        } catch (IllegalStateException closed) {
            return "closed";
        }
    }

    @Operation
    public void release(@Param(name = "n") int n) {
        semaphore.release(n);
    }

    @Operation
    public int available() {
        return semaphore.availablePermits();
    }

    @Operation
    public void close() {
        semaphore.close();
    }

    @Operation(nonParallelGroup = "a")
    public String acquireA(@Param(name = "n") int n) {
        return a.acquire(n);
    }

    @Operation(nonParallelGroup = "a")
    public String pollA() {
        return a.poll();
    }

    @Operation(nonParallelGroup = "a")
    public String pollAElsewhere() {
        return a.poll(a.elsewhere);
    }

    @Operation(nonParallelGroup = "a")
    public String dropA() {
        return a.drop();
    }

    @Operation(nonParallelGroup = "b")
    public String acquireB(@Param(name = "n") int n) {
        return b.acquire(n);
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
        LincheckRuns.modelCheck(SemaphoreLincheckTest.class, Model.class);
    }

    @Test
    void stress() {
        LincheckRuns.stress(SemaphoreLincheckTest.class, Model.class);
    }

    /** A fair semaphore, sequential: what every operation above must look like, in some order. */
    public static final class Model {

        /** Lincheck creates one per sequential run. */
        public Model() {
        }

        private int permits = 1;
        private boolean closed;
        private final ArrayDeque<ModelWaiter> queue = new ArrayDeque<>();
        private final ModelWaiter a = new ModelWaiter();
        private final ModelWaiter b = new ModelWaiter();

        /** A waiter's future: null, or queued with what it still needs, or granted. */
        private static final class ModelWaiter {
            boolean active;
            boolean queued;
            boolean granted;
            boolean failed;
            int needed;
            int remaining;
        }

        public String tryAcquire(int n) {
            if (closed) {
                return "closed";
            }
            if (queue.isEmpty() && permits >= n) {
                permits -= n;
                return "true";
            }
            return "false";
        }

        public void release(int n) {
            handOut(n);
        }

        public int available() {
            return permits;
        }

        public void close() {
            closed = true;
            for (ModelWaiter w : queue) {
                permits += w.needed - w.remaining;
                w.queued = false;
                w.failed = true;
            }
            queue.clear();
        }

        public String acquireA(int n) {
            return acquire(a, n);
        }

        public String pollA() {
            return poll(a);
        }

        public String pollAElsewhere() {
            return poll(a);
        }

        public String dropA() {
            return drop(a);
        }

        public String acquireB(int n) {
            return acquire(b, n);
        }

        public String pollB() {
            return poll(b);
        }

        public String dropB() {
            return drop(b);
        }

        private String acquire(ModelWaiter w, int n) {
            if (w.active) {
                return "busy";
            }
            if (closed) {
                return "closed";
            }
            if (queue.isEmpty() && permits >= n) {
                permits -= n;
                return "ready";
            }
            w.active = true;
            w.queued = true;
            w.granted = false;
            w.failed = false;
            w.needed = n;
            w.remaining = n - permits; // nothing is free while others wait
            permits = 0;
            queue.addLast(w);
            return "pending";
        }

        private String poll(ModelWaiter w) {
            if (!w.active) {
                return "none";
            }
            if (w.granted) {
                w.active = false;
                return "ready";
            }
            if (w.failed) {
                w.active = false;
                return "closed";
            }
            return "pending";
        }

        private String drop(ModelWaiter w) {
            if (!w.active) {
                return "none";
            }
            w.active = false;
            if (w.queued) {
                queue.remove(w);
                w.queued = false;
                handOut(w.needed - w.remaining);
            } else if (w.granted) {
                handOut(w.needed);
            }
            return "dropped";
        }

        private void handOut(int n) {
            int left = n;
            while (left > 0 && !queue.isEmpty()) {
                ModelWaiter w = queue.peekFirst();
                int give = Math.min(left, w.remaining);
                w.remaining -= give;
                left -= give;
                if (w.remaining > 0) {
                    break;
                }
                queue.removeFirst();
                w.queued = false;
                w.granted = true;
            }
            if (queue.isEmpty()) {
                permits += left;
            }
        }
    }
}
