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
 * {@link Watch} is linearizable against {@link Model} in stress and model-checking modes: set
 * and get from any thread, two receivers (one task each) waiting for changes, polling again and
 * dropping. After each scenario: a receiver waiting while a version it has not seen exists was
 * woken.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class WatchLincheckTest {

    private final Watch<Integer> watch = new Watch<>(0);
    private final Waiter a = new Waiter(watch.subscribe());
    private final Waiter b = new Waiter(watch.subscribe());

    /** Lincheck creates one per scenario. */
    public WatchLincheckTest() {
    }

    /** One task's receiver and its changed() future. */
    private static final class Waiter extends TaskStandIn {
        private final Watch.Receiver<Integer> receiver;
        private Future<Integer> future;
        private boolean waited;
        private long versionsBefore;

        Waiter(Watch.Receiver<Integer> receiver) {
            this.receiver = receiver;
        }

        String changed(Watch<Integer> watch) {
            if (future != null) {
                return "busy";
            }
            future = receiver.changed();
            return poll(watch);
        }

        String poll(Watch<Integer> watch) {
            if (future == null) {
                return "none";
            }
            polling();
            versionsBefore = version(watch);
            Poll<Integer> p = future.poll(this);
            if (!p.isReady()) {
                waited = true;
                return "pending";
            }
            future = null;
            waited = false;
            return "changed to " + p.value();
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

        void check(Watch<Integer> watch) {
            if (future != null && waited && !woken() && version(watch) != versionsBefore) {
                throw new IllegalStateException("lost wakeup: a set after the wait began, and "
                        + "the waiting receiver not woken");
            }
        }

        private static long version(Watch<Integer> watch) {
            String s = watch.toString();
            return Long.parseLong(s.substring(s.indexOf(' ') + 1, s.length() - 1));
        }
    }

    @Operation
    public void set(@Param(gen = IntGen.class, conf = "1:3") int v) {
        watch.set(v);
    }

    @Operation
    public Integer get() {
        return watch.get();
    }

    @Operation(nonParallelGroup = "a")
    public String changedA() {
        return a.changed(watch);
    }

    @Operation(nonParallelGroup = "a")
    public String pollA() {
        return a.poll(watch);
    }

    @Operation(nonParallelGroup = "a")
    public String dropA() {
        return a.drop();
    }

    @Operation(nonParallelGroup = "b")
    public String changedB() {
        return b.changed(watch);
    }

    @Operation(nonParallelGroup = "b")
    public String pollB() {
        return b.poll(watch);
    }

    @Validate
    public void invariants() {
        a.check(watch);
        b.check(watch);
    }

    @Test
    void modelChecking() {
        LincheckRuns.modelCheck(WatchLincheckTest.class, Model.class);
    }

    @Test
    void stress() {
        LincheckRuns.stress(WatchLincheckTest.class, Model.class);
    }

    /** A watch, sequential. */
    public static final class Model {
        private int value;
        private long version;
        private final long[] seen = new long[2];
        private final boolean[] waiting = new boolean[2];

        /** Lincheck creates one per sequential run. */
        public Model() {
        }

        public void set(int v) {
            value = v;
            version++;
        }

        public Integer get() {
            return value;
        }

        public String changedA() {
            return changed(0);
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

        public String changedB() {
            return changed(1);
        }

        public String pollB() {
            return poll(1);
        }

        private String changed(int r) {
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
            if (seen[r] == version) {
                return "pending";
            }
            seen[r] = version;
            waiting[r] = false;
            return "changed to " + value;
        }
    }
}
