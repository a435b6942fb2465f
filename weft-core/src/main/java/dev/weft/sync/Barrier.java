package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.concurrent.SpinLock;
import dev.weft.task.Droppable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lets a fixed number of tasks wait for each other: each {@link #await()} completes once
 * {@code parties} awaits have arrived, and the barrier starts over for the next generation. In
 * each generation exactly one await, the last to arrive, completes with true: the leader.
 *
 * <pre>{@code
 * Barrier phase = new Barrier(workers);
 * Future<Void> step = compute().then(v -> phase.await()).map(leader -> {
 *     if (leader) { publish(); }
 *     return null;
 * });
 * }</pre>
 *
 * <p>An await arrives when first polled. One dropped while it waits (its task aborted, a lost
 * {@code select}, an expired timeout) leaves: its arrival no longer counts, and the generation
 * waits for another party.
 */
public final class Barrier {

    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(Barrier.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int parties;
    /** 0 free, 1 held; see {@link SpinLock}. Guards the fields below and the awaits' links. */
    private volatile int lock;
    private int arrived;
    private final WaitQueue<Await> waiting = new WaitQueue<>();

    /**
     * Creates a barrier.
     *
     * @param parties the awaits each generation waits for, 1 or more
     * @throws IllegalArgumentException if {@code parties} is below 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be 1 or more, was " + parties);
        }
        this.parties = parties;
    }

    /**
     * Arrives, when first polled, and waits for the others of this generation.
     *
     * @return a future that completes with true for the generation's leader (the last to arrive)
     *         and false for the others
     */
    public Future<Boolean> await() {
        return new Await(this);
    }

    @Override
    public String toString() {
        lock();
        try {
            return "Barrier[" + arrived + " of " + parties + " arrived]";
        } finally {
            unlock();
        }
    }

    private void lock() {
        SpinLock.lock(LOCK, this);
    }

    private void unlock() {
        SpinLock.unlock(LOCK, this);
    }

    /** An await: the future, and its node among the arrived while it waits. */
    static final class Await extends WaitQueue.Waiter<Await>
            implements Future<Boolean>, Droppable {
        static final int IDLE = 0;
        static final int WAITING = 1;
        static final int RELEASED = 2;
        static final int DONE = 3;
        static final int DROPPED = 4;

        private final Barrier barrier;
        /** Written under the barrier's lock once it left IDLE; read by the poller. */
        volatile int status;

        Await(Barrier barrier) {
            this.barrier = barrier;
        }

        @Override
        public Poll<Boolean> poll(Context cx) {
            int s = status;
            if (s == RELEASED) {
                status = DONE;
                return Poll.ready(false);
            }
            if (s == DONE || s == DROPPED) {
                throw new IllegalStateException("a barrier's await was polled after it "
                        + (s == DONE ? "completed" : "was dropped"));
            }
            Barrier b = barrier;
            Await released;
            b.lock();
            try {
                if (status == RELEASED) {
                    status = DONE;
                    return Poll.ready(false);
                }
                if (status == WAITING) {
                    waker = cx.waker();
                    return Poll.pending();
                }
                if (++b.arrived < b.parties) {
                    status = WAITING;
                    b.waiting.addLast(this, cx.waker());
                    return Poll.pending();
                }
                released = b.waiting.removeAll(); // the leader: the generation is complete
                b.arrived = 0;
                for (Await a = released; a != null; a = a.next) {
                    a.status = RELEASED;
                }
                status = DONE;
            } finally {
                b.unlock();
            }
            WaitQueue.wakeAll(released);
            return Poll.ready(true);
        }

        /** Leaves if it waits: its arrival no longer counts. */
        @Override
        public void drop() {
            Barrier b = barrier;
            b.lock();
            try {
                if (status == WAITING) {
                    b.arrived--;
                    b.waiting.remove(this);
                    waker = null;
                }
                if (status != DONE) {
                    status = DROPPED;
                }
            } finally {
                b.unlock();
            }
        }
    }
}
