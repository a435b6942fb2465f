package dev.weft.sync;

import dev.weft.Future;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * A signal that asks work to stop, for tasks to wait on or check: Tokio's (tokio-util)
 * {@code CancellationToken}. {@link #cancel()} is for good and wakes every {@link #cancelled()}
 * future; {@link #child()} makes a token cancelled with this one (and on its own), for a part of
 * the work.
 *
 * <pre>{@code
 * CancellationToken stop = new CancellationToken();
 * runtime.spawn(Async.select(stop.cancelled(), serve(listener)));   // serves until stopped
 * stop.cancel();
 * }</pre>
 *
 * <p>A parent holds its children weakly: a child nobody uses any more is collected, and a
 * long-lived token with many short-lived children does not keep them. A {@code cancelled()}
 * future dropped while it waits leaves the queue.
 */
public final class CancellationToken {

    /** The signal: sent once, on cancel; its receives are the cancelled() futures. */
    private final Oneshot<Void> signal = new Oneshot<>();
    /** The children, weakly; null once cancelled. Guarded by this token's monitor. */
    private List<WeakReference<CancellationToken>> children = new ArrayList<>();
    /** Children alive at the last sweep of the cleared references; guarded likewise. */
    private int aliveAtSweep;

    /** Creates a token, not cancelled. */
    public CancellationToken() {
    }

    /**
     * Cancels this token and every child, at once; wakes the cancelled() futures. Idempotent.
     * The children are cancelled first, so whoever sees this token cancelled sees them cancelled
     * too; under this token's monitor, so a child made meanwhile is born cancelled. (Monitors are
     * taken parent before child, down the tree: no cycle.)
     */
    public void cancel() {
        synchronized (this) {
            List<WeakReference<CancellationToken>> kids = children;
            if (kids == null) {
                return; // cancelled already
            }
            children = null;
            for (WeakReference<CancellationToken> ref : kids) {
                CancellationToken child = ref.get();
                if (child != null) {
                    child.cancel();
                }
            }
            signal.send(null);
        }
    }

    /**
     * Tells whether the token is cancelled.
     *
     * @return true once cancelled
     */
    public boolean isCancelled() {
        return signal.isSent();
    }

    /**
     * Waits for the cancellation.
     *
     * @return a future that completes once the token is cancelled (at once if it is)
     */
    public Future<Void> cancelled() {
        return signal.receive();
    }

    /**
     * A token cancelled with this one, or on its own (which leaves this one as it is).
     *
     * @return the child, cancelled already if this token is
     */
    public CancellationToken child() {
        CancellationToken child = new CancellationToken();
        synchronized (this) {
            if (children == null) {
                child.cancel();
                return child;
            }
            if (children.size() >= Math.max(16, 2 * aliveAtSweep)) {
                children.removeIf(ref -> ref.get() == null); // amortized: sizes double
                aliveAtSweep = children.size();
            }
            children.add(new WeakReference<>(child));
        }
        return child;
    }

    /** Children tracked now, collected or not: for the test that they do not pile up. */
    synchronized int childrenTracked() {
        return children == null ? 0 : children.size();
    }

    @Override
    public String toString() {
        return isCancelled() ? "CancellationToken[cancelled]" : "CancellationToken[active]";
    }
}
