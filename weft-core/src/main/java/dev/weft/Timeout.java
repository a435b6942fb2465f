package dev.weft;

import dev.weft.runtime.ThreadContext;
import dev.weft.task.Droppable;
import java.time.Duration;

/**
 * {@code Async.timeout}: completes like its future if that completes before the deadline, and
 * fails with {@link DeadlineExceededException} otherwise. The future is polled first, so one
 * that completes in the same poll as the deadline wins, as in Tokio. The timer is armed only
 * when the future is pending, and cancelled as soon as it completes or fails: a timeout that is
 * not needed holds nothing. On expiry the future is dropped: aborted if it is a task's handle
 * (as {@code select} treats its loser), its own timers cancelled if it has any.
 *
 * @param <T> the result's type
 */
final class Timeout<T> extends Alarm implements Future<T> {

    private final Duration limit;
    private Future<T> future;

    /**
     * A timeout of {@code limit} from now around {@code future}.
     *
     * @param limit  zero or more
     * @param future the future
     */
    Timeout(Duration limit, Future<T> future) {
        super(limit);
        this.limit = limit;
        this.future = future;
    }

    @Override
    public Poll<T> poll(Context cx) {
        Future<T> f = future;
        if (f == null) {
            throw new IllegalStateException("a 'timeout' future was polled after it completed");
        }
        Poll<T> p;
        try {
            p = f.poll(cx);
        } catch (Throwable failure) {
            future = null;
            finish(ThreadContext.current());
            throw failure;
        }
        if (p == null) {
            future = null;
            finish(ThreadContext.current());
            throw new NullPointerException("the future inside 'timeout' returned null from poll; "
                    + "return Poll.pending() or Poll.ready(value)");
        }
        if (p.isReady()) {
            future = null;
            finish(ThreadContext.current());
            return p;
        }
        if (!isDue(pollingContext("a timeout"), cx.waker())) {
            return Poll.pending();
        }
        future = null;
        if (f instanceof JoinHandle<?> handle) {
            handle.abort();
        } else {
            Droppable.dropIfDroppable(f);
        }
        throw new DeadlineExceededException("the future did not complete within its timeout of "
                + limit);
    }

    @Override
    public void drop() {
        Future<T> f = future;
        future = null;
        Droppable.dropIfDroppable(f);
        super.drop();
    }
}
