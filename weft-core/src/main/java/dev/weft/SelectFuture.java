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
        Poll<A> a;
        try {
            a = Completion.poll(first, cx, "select");
        } catch (Throwable failure) {
            dropBoth();
            throw failure;
        }
        if (a.isReady()) {
            dropBoth();
            return Poll.ready(Async.Either.ofFirst(a.value()));
        }
        Poll<B> b;
        try {
            b = Completion.poll(second, cx, "select");
        } catch (Throwable failure) {
            dropBoth();
            throw failure;
        }
        if (b.isReady()) {
            dropBoth();
            return Poll.ready(Async.Either.ofSecond(b.value()));
        }
        return Poll.pending();
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
