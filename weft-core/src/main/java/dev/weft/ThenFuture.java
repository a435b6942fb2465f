package dev.weft;

import java.util.function.Function;

/** {@link Future#then}: runs the future made from the first result, and completes with its. */
final class ThenFuture<T, U> implements Future<U> {

    private Future<T> first;
    private final Function<? super T, ? extends Future<U>> fn;
    private Future<U> second;

    ThenFuture(Future<T> first, Function<? super T, ? extends Future<U>> fn) {
        this.first = first;
        this.fn = fn;
    }

    @Override
    public Poll<U> poll(Context cx) {
        if (second == null) {
            Poll<T> p = Completion.poll(first, cx, "then");
            if (!p.isReady()) {
                return Poll.pending();
            }
            first = null;
            Future<U> next = fn.apply(p.value());
            if (next == null) {
                throw new NullPointerException("the function given to Future.then returned null instead of a future");
            }
            second = next;
        }
        return second.poll(cx);
    }
}
