package dev.weft;

import dev.weft.task.Droppable;
import java.util.function.Function;

/**
 * {@link Future#then}: runs the future made from the first result, and completes with its.
 * Dropping it drops whichever of the two it is running.
 */
final class ThenFuture<T, U> implements Future<U>, Droppable {

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
                throw new NullPointerException(
                        "the function given to Future.then returned null instead of a future");
            }
            second = next;
        }
        return second.poll(cx);
    }

    @Override
    public void drop() {
        Droppable.dropIfDroppable(first);
        Droppable.dropIfDroppable(second);
        first = null;
        second = null;
    }
}
