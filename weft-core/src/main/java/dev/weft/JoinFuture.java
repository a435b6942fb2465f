package dev.weft;

/**
 * {@link Async#join}: completes when both futures have, with both results; fails as soon as one
 * of them fails.
 */
final class JoinFuture<A, B> implements Future<Async.Pair<A, B>> {

    private Future<A> first;
    private Future<B> second;
    private A firstResult;
    private B secondResult;

    JoinFuture(Future<A> first, Future<B> second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public Poll<Async.Pair<A, B>> poll(Context cx) {
        if (first == null && second == null) {
            throw new IllegalStateException("a 'join' future was polled after it completed");
        }
        if (first != null) {
            Poll<A> p = Completion.poll(first, cx, "join");
            if (p.isReady()) {
                firstResult = p.value();
                first = null;
            }
        }
        if (second != null) {
            Poll<B> p = Completion.poll(second, cx, "join");
            if (p.isReady()) {
                secondResult = p.value();
                second = null;
            }
        }
        if (first != null || second != null) {
            return Poll.pending();
        }
        return Poll.ready(new Async.Pair<>(firstResult, secondResult));
    }
}
