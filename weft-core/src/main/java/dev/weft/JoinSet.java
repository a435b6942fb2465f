package dev.weft;

import dev.weft.sync.Notify;
import dev.weft.task.Droppable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A set of spawned tasks, awaited in the order they complete (Tokio's {@code JoinSet}): structured
 * concurrency for a group of tasks that one task owns.
 *
 * <pre>{@code
 * try (JoinSet<Integer> set = new JoinSet<>()) {          // inside a task, or blockOn
 *     for (Shard s : shards) {
 *         set.spawn(count(s));
 *     }
 *     ...  set.joinNext() until it completes with null
 * }                                                        // close(): aborts what is left
 * }</pre>
 *
 * <p>{@link #spawn} starts a task on the runtime given to the constructor, or on the calling
 * task's runtime. {@link #joinNext()} completes with the result of the next task to end (a task
 * that failed or was aborted fails it the same way awaiting its handle would), or with null
 * once the set is empty; a task whose result is null is told apart by {@link #size()}. A
 * {@code joinNext()} dropped while it waits takes nothing out of the set.
 *
 * @param <T> the tasks' result
 */
public final class JoinSet<T> implements AutoCloseable {

    private final AsyncRuntime runtime;
    /** Wakes a waiting joinNext once per task that ends. */
    private final Notify ended = new Notify();
    /** Tasks running; guarded by this set's monitor. */
    private final Set<Member<T>> running = new LinkedHashSet<>();
    /** Tasks ended and not yet joined, in the order they ended; guarded likewise. */
    private final ArrayDeque<Member<T>> done = new ArrayDeque<>();

    /** A set whose tasks run on the runtime of the task (or {@code blockOn}) that spawns them. */
    public JoinSet() {
        this.runtime = null;
    }

    /**
     * A set whose tasks run on {@code runtime}, wherever they are spawned from.
     *
     * @param runtime the runtime
     */
    public JoinSet(AsyncRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /**
     * Spawns a task into the set.
     *
     * @param future the task's future
     * @return the task's handle (awaiting it too is allowed; the set still reports the task)
     * @throws IllegalStateException if the set has no runtime and the caller runs in none
     */
    public JoinHandle<T> spawn(Future<T> future) {
        return spawn(AsyncRuntime.DEFAULT_OPTIONS, future);
    }

    /**
     * Spawns a task into the set, with options.
     *
     * @param options priority, deadline and name
     * @param future  the task's future
     * @return the task's handle
     * @throws IllegalStateException if the set has no runtime and the caller runs in none
     */
    public JoinHandle<T> spawn(TaskOptions options, Future<T> future) {
        JoinHandle<T> handle = runtime != null ? runtime.spawn(options, future)
                : Async.spawn(options, future);
        Member<T> member = new Member<>(this, handle);
        synchronized (this) {
            running.add(member);
        }
        member.watch();
        return handle;
    }

    /**
     * Waits for the next task to end.
     *
     * @return a future of its result (failing as the task did), or of null once the set is empty
     */
    public Future<T> joinNext() {
        return new JoinNext();
    }

    /**
     * The tasks in the set: running, or ended and not yet joined.
     *
     * @return the count
     */
    public synchronized int size() {
        return running.size() + done.size();
    }

    /** Aborts every task still running; they stay in the set, to be joined as cancelled. */
    public void abortAll() {
        List<Member<T>> toAbort;
        synchronized (this) {
            toAbort = new ArrayList<>(running);
        }
        for (Member<T> m : toAbort) {
            m.handle.abort();
        }
    }

    /** Aborts what is still running: the set's tasks do not outlive its owner's scope. */
    @Override
    public void close() {
        abortAll();
    }

    private void ended(Member<T> member) {
        synchronized (this) {
            if (!running.remove(member)) {
                return;
            }
            done.addLast(member);
        }
        ended.notifyOne();
    }

    /** A task of the set: its handle, watched with a waker of its own. */
    private static final class Member<T> implements Context, Waker {
        private final JoinSet<T> set;
        final JoinHandle<T> handle;

        Member(JoinSet<T> set, JoinHandle<T> handle) {
            this.set = set;
            this.handle = handle;
        }

        /** Registers to be woken when the task ends, or reports it ended already. */
        void watch() {
            try {
                if (handle.poll(this).isReady()) {
                    set.ended(this);
                }
            } catch (Throwable ended) {
                set.ended(this); // failed (an Error too) or cancelled: joinNext reports it
            }
        }

        @Override
        public Waker waker() {
            return this;
        }

        @Override
        public void wake() {
            if (handle.isDone()) {
                set.ended(this);
            } else {
                watch();
            }
        }
    }

    /** {@link #joinNext()}: takes the next ended task, or waits on {@code ended}. */
    private final class JoinNext implements Future<T>, Droppable {
        private Future<Void> waiting;
        private boolean completed;

        @Override
        public Poll<T> poll(Context cx) {
            if (completed) {
                throw new IllegalStateException("a joinNext future was polled after it completed");
            }
            while (true) {
                Member<T> next;
                boolean empty;
                boolean more;
                synchronized (JoinSet.this) {
                    next = done.pollFirst();
                    empty = next == null && running.isEmpty();
                    more = !done.isEmpty();
                }
                if (more) {
                    // Two ends may have stored one permit between them while two joinNext calls
                    // looked: pass the turn on, so the other finds the task this one left.
                    ended.notifyOne();
                }
                if (next != null || empty) {
                    completed = true;
                    dropWaiting();
                    return empty ? Poll.ready(null) : next.handle.poll(cx); // ended: ready
                }
                if (waiting == null) {
                    waiting = ended.notified(); // a task that ends from now on stores a permit
                    continue; // look again before polling it
                }
                if (!waiting.poll(cx).isReady()) {
                    return Poll.pending();
                }
                waiting = null;
            }
        }

        @Override
        public void drop() {
            dropWaiting();
        }

        private void dropWaiting() {
            Future<Void> w = waiting;
            waiting = null;
            Droppable.dropIfDroppable(w); // a notification meant for it goes to the next
        }
    }
}
