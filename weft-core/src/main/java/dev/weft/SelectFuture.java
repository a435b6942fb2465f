package dev.weft;

/**
 * {@link Async#select}: completes with the first of two futures to complete, polling the first
 * before the second. The loser is dropped, and aborted if it is a task's handle.
 */
final class SelectFuture<A, B> implements Future<Async.Either<A, B>> {

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
        abortIfTask(first);
        abortIfTask(second);
        first = null;
        second = null;
    }

    private static void abortIfTask(Future<?> f) {
        if (f instanceof JoinHandle<?> handle) {
            handle.abort();
        }
    }
}
