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
 * The read-write lock is linearizable against {@link Model}, a sequential fair read-write lock
 * (FIFO across readers and writers), in stress and model-checking modes. Three tasks, one
 * operation group each: read, write, poll again, drop a waiting request, try to read or write,
 * unlock. After each scenario: a task handed the lock was woken.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class RwLockLincheckTest {

    private final RwLock<Integer> lock = new RwLock<>(0);
    private final Holder a = new Holder();
    private final Holder b = new Holder();
    private final Holder c = new Holder();

    /** Lincheck creates one per scenario. */
    public RwLockLincheckTest() {
    }

    /** One task: its waiting request or the guard it holds, and its waker. */
    private final class Holder extends TaskStandIn {
        private Future<Mutex.Guard<Integer>> waiting;
        private Mutex.Guard<Integer> guard;

        String request(boolean write) {
            if (waiting != null || guard != null) {
                return "busy";
            }
            waiting = write ? lock.write() : lock.read();
            return poll();
        }

        String poll() {
            if (waiting == null) {
                return "none";
            }
            polling();
            Poll<Mutex.Guard<Integer>> p = waiting.poll(this);
            if (!p.isReady()) {
                return "pending";
            }
            waiting = null;
            guard = p.value();
            return "locked";
        }

        String tryLock(boolean write) {
            if (waiting != null || guard != null) {
                return "busy";
            }
            guard = write ? lock.tryWrite() : lock.tryRead();
            return guard == null ? "held" : "locked";
        }

        String drop() {
            if (waiting == null) {
                return "none";
            }
            ((LockFuture<?>) waiting).drop();
            waiting = null;
            return "dropped";
        }

        String unlock() {
            if (guard == null) {
                return "none";
            }
            guard.unlock();
            guard = null;
            return "unlocked";
        }

        void check() {
            if (waiting != null && ((LockFuture<?>) waiting).acquire.status == Acquire.GRANTED
                    && !woken()) {
                throw new IllegalStateException(
                        "lost wakeup: a task handed the lock was not woken");
            }
        }
    }

    @Operation(nonParallelGroup = "a")
    public String readA() {
        return a.request(false);
    }

    @Operation(nonParallelGroup = "a")
    public String writeA() {
        return a.request(true);
    }

    @Operation(nonParallelGroup = "a")
    public String pollA() {
        return a.poll();
    }

    @Operation(nonParallelGroup = "a")
    public String dropA() {
        return a.drop();
    }

    @Operation(nonParallelGroup = "a")
    public String unlockA() {
        return a.unlock();
    }

    @Operation(nonParallelGroup = "b")
    public String readB() {
        return b.request(false);
    }

    @Operation(nonParallelGroup = "b")
    public String writeB() {
        return b.request(true);
    }

    @Operation(nonParallelGroup = "b")
    public String pollB() {
        return b.poll();
    }

    @Operation(nonParallelGroup = "b")
    public String dropB() {
        return b.drop();
    }

    @Operation(nonParallelGroup = "b")
    public String unlockB() {
        return b.unlock();
    }

    @Operation(nonParallelGroup = "c")
    public String tryReadC() {
        return c.tryLock(false);
    }

    @Operation(nonParallelGroup = "c")
    public String tryWriteC() {
        return c.tryLock(true);
    }

    @Operation(nonParallelGroup = "c")
    public String unlockC() {
        return c.unlock();
    }

    @Validate
    public void invariants() {
        a.check();
        b.check();
        c.check();
    }

    @Test
    void modelChecking() {
        LincheckRuns.modelCheck(RwLockLincheckTest.class, Model.class);
    }

    @Test
    void stress() {
        LincheckRuns.stress(RwLockLincheckTest.class, Model.class);
    }

    /** A fair read-write lock, sequential: requests granted from the head of one FIFO queue. */
    public static final class Model {
        private int readers;
        private boolean writer;
        private final ArrayDeque<ModelHolder> queue = new ArrayDeque<>();
        private final ModelHolder a = new ModelHolder();
        private final ModelHolder b = new ModelHolder();
        private final ModelHolder c = new ModelHolder();

        /** Lincheck creates one per sequential run. */
        public Model() {
        }

        /** A task: waiting (for a read or a write), granted (not yet polled), or holding. */
        private static final class ModelHolder {
            boolean waiting;
            boolean granted;
            boolean holding;
            boolean write;
        }

        public String readA() {
            return request(a, false);
        }

        public String writeA() {
            return request(a, true);
        }

        public String pollA() {
            return poll(a);
        }

        public String dropA() {
            return drop(a);
        }

        public String unlockA() {
            return unlock(a);
        }

        public String readB() {
            return request(b, false);
        }

        public String writeB() {
            return request(b, true);
        }

        public String pollB() {
            return poll(b);
        }

        public String dropB() {
            return drop(b);
        }

        public String unlockB() {
            return unlock(b);
        }

        public String tryReadC() {
            return tryLock(c, false);
        }

        public String tryWriteC() {
            return tryLock(c, true);
        }

        public String unlockC() {
            return unlock(c);
        }

        private boolean free(boolean write) {
            return queue.isEmpty() && !writer && (!write || readers == 0);
        }

        private void take(ModelHolder h, boolean write) {
            h.write = write;
            if (write) {
                writer = true;
            } else {
                readers++;
            }
        }

        private String request(ModelHolder h, boolean write) {
            if (h.waiting || h.holding) {
                return "busy";
            }
            if (free(write)) {
                take(h, write);
                h.holding = true;
                return "locked";
            }
            h.write = write;
            h.waiting = true;
            queue.addLast(h);
            return "pending";
        }

        private String poll(ModelHolder h) {
            if (!h.waiting) {
                return "none";
            }
            if (!h.granted) {
                return "pending";
            }
            h.waiting = false;
            h.granted = false;
            h.holding = true;
            return "locked";
        }

        private String tryLock(ModelHolder h, boolean write) {
            if (h.waiting || h.holding) {
                return "busy";
            }
            if (!free(write)) {
                return "held";
            }
            take(h, write);
            h.holding = true;
            return "locked";
        }

        private String drop(ModelHolder h) {
            if (!h.waiting) {
                return "none";
            }
            h.waiting = false;
            if (h.granted) {
                h.granted = false;
                give(h);
            } else {
                queue.remove(h);
            }
            handOn();
            return "dropped";
        }

        private String unlock(ModelHolder h) {
            if (!h.holding) {
                return "none";
            }
            h.holding = false;
            give(h);
            handOn();
            return "unlocked";
        }

        private void give(ModelHolder h) {
            if (h.write) {
                writer = false;
            } else {
                readers--;
            }
        }

        private void handOn() {
            while (!queue.isEmpty()) {
                ModelHolder next = queue.peekFirst();
                if (writer || (next.write && readers > 0)) {
                    return;
                }
                queue.removeFirst();
                take(next, next.write);
                next.granted = true;
            }
        }
    }
}
