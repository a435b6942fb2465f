package dev.weft;

import dev.weft.task.Droppable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * {@link Async#joinAll}: completes when every future has, with the results in order; fails as
 * soon as one of them fails, dropping the others. Dropping it drops those not completed.
 *
 * <p>Each child is polled with a waker of its own, which records the child on a lock-free stack
 * and wakes the parent. A poll of the parent polls only the children woken since the last one,
 * so awaiting n tasks costs O(n) polls in total, not O(n) per completion.
 *
 * <p>Ordering: a child waker sets its {@code queued} flag (CAS) and pushes itself (CAS, release)
 * before waking the parent; the parent takes the whole stack (getAndSet, acquire) and clears each
 * child's flag before polling the child, so a wake that arrives during or after that poll queues
 * the child again, and a wake that found the flag still set is covered by the poll that follows.
 */
final class JoinAllFuture<T> implements Future<List<T>>, Droppable {

    private static final VarHandle READY;
    private static final VarHandle QUEUED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            READY = lookup.findVarHandle(JoinAllFuture.class, "ready", Child.class);
            QUEUED = lookup.findVarHandle(Child.class, "queued", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Future<? extends T>[] futures;
    private final Object[] results;
    private int remaining;
    private Child[] children;
    private volatile Waker parent;
    /** Children woken since the parent's last poll: a Treiber stack. */
    @SuppressWarnings("unused") // accessed through READY
    private volatile Child ready;

    JoinAllFuture(Future<? extends T>[] futures) {
        this.futures = futures;
        this.results = new Object[futures.length];
        this.remaining = futures.length;
    }

    // The stack of woken children, by memory mode: pushed by CAS, taken whole by an exchange.

    private Child readyVolatile() {
        return ready;
    }

    private boolean casReady(Child expected, Child head) {
        return READY.compareAndSet(this, expected, head);
    }

    private Child getAndSetReady(Child head) {
        return (Child) READY.getAndSet(this, head);
    }

    @Override
    public Poll<List<T>> poll(Context cx) {
        if (remaining == 0 && children != null) {
            throw new IllegalStateException("a 'joinAll' future was polled after it completed");
        }
        parent = cx.waker();
        try {
            pollChildren();
        } catch (RuntimeException | Error failure) {
            drop(); // the join fails: what the others wait on is given back now
            throw failure;
        }
        if (remaining > 0) {
            return Poll.pending();
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) Collections.unmodifiableList(Arrays.asList(results));
        return Poll.ready(list);
    }

    /** Polls every child the first time, then those woken since the last poll. */
    private void pollChildren() {
        if (children == null) {
            children = new Child[futures.length];
            for (int i = 0; i < futures.length; i++) {
                children[i] = new Child(this, i);
            }
            for (int i = 0; i < futures.length; i++) {
                pollChild(children[i]);
            }
        } else {
            Child c = getAndSetReady(null);
            while (c != null) {
                Child next = c.next;
                c.next = null;
                c.queued = false;
                pollChild(c);
                c = next;
            }
        }
    }

    @Override
    public void drop() {
        for (int i = 0; i < futures.length; i++) {
            Future<? extends T> f = futures[i];
            futures[i] = null;
            Droppable.dropIfDroppable(f);
        }
    }

    private void pollChild(Child c) {
        Future<? extends T> f = futures[c.index];
        if (f == null) {
            return;
        }
        Poll<? extends T> p = Completion.poll(f, c, "joinAll");
        if (p.isReady()) {
            results[c.index] = p.value();
            futures[c.index] = null;
            remaining--;
        }
    }

    /** The waker and context of one child future. */
    private static final class Child implements Waker, Context {
        final JoinAllFuture<?> join;
        final int index;
        volatile boolean queued;
        /** Stack link: written before the push CAS publishes it, read after the take. */
        Child next;

        Child(JoinAllFuture<?> join, int index) {
            this.join = join;
            this.index = index;
        }

        /** The first wake since the parent's last poll of this child claims the push. */
        private boolean casQueued(boolean expected, boolean next) {
            return QUEUED.compareAndSet(this, expected, next);
        }

        @Override
        public Waker waker() {
            return this;
        }

        @Override
        public void wake() {
            if (queued || !casQueued(false, true)) {
                return;
            }
            Child head;
            do {
                head = join.readyVolatile();
                next = head;
            } while (!join.casReady(head, this));
            join.parent.wake();
        }
    }
}
