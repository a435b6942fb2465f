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
 * The mutex is linearizable against {@link Model}, a sequential fair lock, in stress and
 * model-checking modes (after kotlinx.coroutines' {@code MutexLincheckTest}: lock, tryLock,
 * unlock, and the cancellation of a waiting lock). Three tasks, one operation group each: lock
 * (and poll again), tryLock, drop a waiting lock, unlock what they hold. After each scenario: a
 * task handed the lock was woken, and the guarded counter saw one holder at a time.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class MutexLincheckTest {

    private final Mutex<Integer> mutex = new Mutex<>(0);
    private final Holder a = new Holder();
    private final Holder b = new Holder();
    private final Holder c = new Holder();

    /** Lincheck creates one per scenario. */
    public MutexLincheckTest() {
    }

    /** One task: its waiting lock future or the guard it holds, and its waker. */
    private final class Holder extends TaskStandIn {
        private Future<Mutex.Guard<Integer>> waiting;
        private Mutex.Guard<Integer> guard;

        String lock() {
            if (waiting != null || guard != null) {
                return "busy";
            }
            waiting = mutex.lock();
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
            guard.set(guard.get() + 1); // counts holders; the unlock takes it back
            return "locked";
        }

        String tryLock() {
            if (waiting != null || guard != null) {
                return "busy";
            }
            guard = mutex.tryLock();
            if (guard == null) {
                return "held";
            }
            guard.set(guard.get() + 1);
            return "locked";
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
            int holders = guard.get();
            guard.set(holders - 1);
            guard.unlock();
            guard = null;
            return holders == 1 ? "unlocked" : "overlap: " + holders + " holders";
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
    public String lockA() {
        return a.lock();
    }

    @Operation(nonParallelGroup = "a")
    public String pollA() {
        return a.poll();
    }

    @Operation(nonParallelGroup = "a")
    public String tryLockA() {
        return a.tryLock();
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
    public String lockB() {
        return b.lock();
    }

    @Operation(nonParallelGroup = "b")
    public String pollB() {
        return b.poll();
    }

    @Operation(nonParallelGroup = "b")
    public String tryLockB() {
        return b.tryLock();
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
    public String lockC() {
        return c.lock();
    }

    @Operation(nonParallelGroup = "c")
    public String tryLockC() {
        return c.tryLock();
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
        LincheckRuns.modelCheck(MutexLincheckTest.class, Model.class);
    }

    @Test
    void stress() {
        LincheckRuns.stress(MutexLincheckTest.class, Model.class);
    }

    /** A fair lock, sequential. */
    public static final class Model {
        private ModelHolder owner;
        private final ArrayDeque<ModelHolder> queue = new ArrayDeque<>();
        private final ModelHolder a = new ModelHolder();
        private final ModelHolder b = new ModelHolder();
        private final ModelHolder c = new ModelHolder();

        /** Lincheck creates one per sequential run. */
        public Model() {
        }

        /** A task: waiting, granted (not yet polled), or holding. */
        private static final class ModelHolder {
            boolean waiting;
            boolean granted;
            boolean holding;
        }

        public String lockA() {
            return lock(a);
        }

        public String pollA() {
            return poll(a);
        }

        public String tryLockA() {
            return tryLock(a);
        }

        public String dropA() {
            return drop(a);
        }

        public String unlockA() {
            return unlock(a);
        }

        public String lockB() {
            return lock(b);
        }

        public String pollB() {
            return poll(b);
        }

        public String tryLockB() {
            return tryLock(b);
        }

        public String dropB() {
            return drop(b);
        }

        public String unlockB() {
            return unlock(b);
        }

        public String lockC() {
            return lock(c);
        }

        public String tryLockC() {
            return tryLock(c);
        }

        public String unlockC() {
            return unlock(c);
        }

        private String lock(ModelHolder h) {
            if (h.waiting || h.holding) {
                return "busy";
            }
            if (owner == null && queue.isEmpty()) {
                owner = h;
                h.holding = true;
                return "locked";
            }
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

        private String tryLock(ModelHolder h) {
            if (h.waiting || h.holding) {
                return "busy";
            }
            if (owner == null && queue.isEmpty()) {
                owner = h;
                h.holding = true;
                return "locked";
            }
            return "held";
        }

        private String drop(ModelHolder h) {
            if (!h.waiting) {
                return "none";
            }
            h.waiting = false;
            if (h.granted) {
                h.granted = false;
                owner = null;
                handOn();
            } else {
                queue.remove(h);
            }
            return "dropped";
        }

        private String unlock(ModelHolder h) {
            if (!h.holding) {
                return "none";
            }
            h.holding = false;
            owner = null;
            handOn();
            return "unlocked";
        }

        private void handOn() {
            ModelHolder next = queue.pollFirst();
            if (next != null) {
                owner = next;
                next.granted = true;
            }
        }
    }
}
