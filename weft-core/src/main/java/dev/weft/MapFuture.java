package dev.weft;

import java.util.function.Function;

/** {@link Future#map}: applies a function to the result. */
final class MapFuture<T, U> implements Future<U> {

    private Future<T> source;
    private final Function<? super T, ? extends U> fn;

    MapFuture(Future<T> source, Function<? super T, ? extends U> fn) {
        this.source = source;
        this.fn = fn;
    }

    @Override
    public Poll<U> poll(Context cx) {
        Poll<T> p = Completion.poll(source, cx, "map");
        if (!p.isReady()) {
            return Poll.pending();
        }
        source = null;
        return Poll.ready(fn.apply(p.value()));
    }
}
