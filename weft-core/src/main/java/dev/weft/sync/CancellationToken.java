package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.task.Droppable;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
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
 * <h2>Memory</h2>
 * A child holds its parent, and a {@code cancelled()} future its token; a parent holds its
 * children weakly. So a child stays reachable, and is cancelled with its parent, as long as
 * anyone holds it, a descendant, or a future waiting on it; a child nobody uses any more is
 * collected, and a long-lived token with many short-lived children does not keep them. A
 * {@code cancelled()} future dropped while it waits leaves the queue.
 */
public final class CancellationToken {

    /** The signal: sent once, on cancel; its receives are the cancelled() futures. */
    private final Oneshot<Void> signal = new Oneshot<>();
    /** Keeps the parent, and so the path to the root, reachable from this child: see "Memory". */
    @SuppressWarnings("unused") // a reachability anchor, never read
    private final CancellationToken parent;
    /** The children, weakly; null once cancelling. Guarded by this token's monitor. */
    private List<WeakReference<CancellationToken>> children = new ArrayList<>();
    /** Children alive at the last sweep of the cleared references; guarded likewise. */
    private int aliveAtSweep;

    /** Creates a token, not cancelled. */
    public CancellationToken() {
        this(null);
    }

    private CancellationToken(CancellationToken parent) {
        this.parent = parent;
    }

    /**
     * Cancels this token and every descendant; wakes the cancelled() futures; returns once this
     * token is cancelled. Idempotent. Descendants are cancelled before their ancestors, so
     * whoever sees a token cancelled sees its descendants cancelled too; the tree is walked
     * without recursion, however deep.
     */
    public void cancel() {
        List<CancellationToken> toSignal = new ArrayList<>();
        ArrayDeque<CancellationToken> toVisit = new ArrayDeque<>();
        toVisit.push(this);
        while (!toVisit.isEmpty()) {
            CancellationToken t = toVisit.pop();
            List<WeakReference<CancellationToken>> kids;
            synchronized (t) {
                kids = t.children;
                t.children = null; // from now on a new child is born cancelled
            }
            if (kids == null) {
                continue; // cancelled, or being cancelled by another call
            }
            toSignal.add(t);
            for (WeakReference<CancellationToken> ref : kids) {
                CancellationToken child = ref.get();
                if (child != null) {
                    toVisit.push(child);
                }
            }
        }
        for (int i = toSignal.size() - 1; i >= 0; i--) {
            toSignal.get(i).signal.send(null); // the deepest first
        }
        while (!isCancelled()) {
            Thread.onSpinWait(); // another call is signalling this token: it is at work now
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
     * Waits for the cancellation. The future keeps the token reachable while it waits.
     *
     * @return a future that completes once the token is cancelled (at once if it is)
     */
    public Future<Void> cancelled() {
        return new Cancelled(this, signal.receive());
    }

    /**
     * A token cancelled with this one, or on its own (which leaves this one as it is).
     *
     * @return the child, cancelled already if this token is
     */
    public CancellationToken child() {
        CancellationToken child = new CancellationToken(this);
        boolean bornCancelled;
        synchronized (this) {
            bornCancelled = children == null;
            if (!bornCancelled) {
                if (children.size() >= Math.max(16, 2 * aliveAtSweep)) {
                    children.removeIf(ref -> ref.get() == null); // amortized: sizes double
                    aliveAtSweep = children.size();
                }
                children.add(new WeakReference<>(child));
            }
        }
        if (bornCancelled) {
            child.cancel();
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

    /** {@link #cancelled()}: the signal's receive, holding its token. */
    private static final class Cancelled implements Future<Void>, Droppable {
        @SuppressWarnings("unused") // a reachability anchor, never read
        private final CancellationToken token;
        private final Future<Void> receive;

        Cancelled(CancellationToken token, Future<Void> receive) {
            this.token = token;
            this.receive = receive;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            return receive.poll(cx);
        }

        @Override
        public void drop() {
            Droppable.dropIfDroppable(receive);
        }
    }
}
