package dev.weft;

import dev.weft.task.Droppable;

/**
 * {@link Async#select}: completes with the first of two futures to complete, polling the first
 * before the second. The loser is dropped: aborted if it is a task's handle, its timers cancelled
 * if it holds any (a sleep, a timeout, or one of those inside {@code map}, {@code then},
 * {@code recover}). A select dropped unfinished (by an outer select or timeout) cancels the timers
 * of both, and aborts no task: only a select's own loser is aborted.
 */
final class SelectFuture<A, B> implements Future<Async.Either<A, B>>, Droppable {

    private Future<A> first;
    private Future<B> second;

    SelectFuture(Future<A> first, Future<B> second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public Poll<Async.Either<A, B>> poll(Context cx) {
        if (first == null) {
            throw new IllegalStateException("a 'select' future was polled after it completed");
        }
        Poll<A> a = pollOrDropBoth(first, cx);
        if (a.isReady()) {
            dropBoth();
            return Poll.ready(Async.Either.ofFirst(a.value()));
        }
        Poll<B> b = pollOrDropBoth(second, cx);
        if (b.isReady()) {
            dropBoth();
            return Poll.ready(Async.Either.ofSecond(b.value()));
        }
        return Poll.pending();
    }

    /** Polls one side; if it throws, the select fails and both sides are dropped. */
    private <T> Poll<T> pollOrDropBoth(Future<T> side, Context cx) {
        try {
            return Completion.poll(side, cx, "select");
        } catch (Throwable failure) {
            dropBoth();
            throw failure;
        }
    }

    /** Drops both futures, aborting those that are tasks: the winner is already done. */
    private void dropBoth() {
        dropLoser(first);
        dropLoser(second);
        first = null;
        second = null;
    }

    @Override
    public void drop() {
        Droppable.dropIfDroppable(first);
        Droppable.dropIfDroppable(second);
        first = null;
        second = null;
    }

    private static void dropLoser(Future<?> f) {
        if (f instanceof JoinHandle<?> handle) {
            handle.abort();
        } else {
            Droppable.dropIfDroppable(f);
        }
    }
}
