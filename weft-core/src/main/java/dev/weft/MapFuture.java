package dev.weft;

import dev.weft.task.Droppable;
import java.util.function.Function;

/** {@link Future#map}: applies a function to the result. Dropping it drops its source. */
final class MapFuture<T, U> implements Future<U>, Droppable {

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

    @Override
    public void drop() {
        Droppable.dropIfDroppable(source);
        source = null;
    }
}
