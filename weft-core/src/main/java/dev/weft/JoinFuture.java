package dev.weft;

import dev.weft.task.Droppable;

/**
 * {@link Async#join}: completes when both futures have, with both results; fails as soon as one
 * of them fails, dropping the other. Dropping it drops whichever has not completed.
 */
final class JoinFuture<A, B> implements Future<Async.Pair<A, B>>, Droppable {

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
        try {
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
        } catch (RuntimeException | Error failure) {
            drop(); // the join fails: what the other future waits on is given back now
            throw failure;
        }
        if (first != null || second != null) {
            return Poll.pending();
        }
        return Poll.ready(new Async.Pair<>(firstResult, secondResult));
    }

    @Override
    public void drop() {
        Future<A> a = first;
        Future<B> b = second;
        first = null;
        second = null;
        Droppable.dropIfDroppable(a);
        Droppable.dropIfDroppable(b);
    }
}
