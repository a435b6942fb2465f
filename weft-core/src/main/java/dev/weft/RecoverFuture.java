package dev.weft;

import dev.weft.task.Droppable;
import java.util.function.Function;

/**
 * {@link Future#recover}: turns an exception thrown by the source into a result. Dropping it drops
 * its source.
 */
final class RecoverFuture<T> implements Future<T>, Droppable {

    private Future<T> source;
    private final Function<? super Throwable, ? extends T> fn;

    RecoverFuture(Future<T> source, Function<? super Throwable, ? extends T> fn) {
        this.source = source;
        this.fn = fn;
    }

    @Override
    public Poll<T> poll(Context cx) {
        Poll<T> p;
        try {
            p = Completion.poll(source, cx, "recover");
        } catch (Throwable failure) {
            source = null;
            return Poll.ready(fn.apply(failure));
        }
        if (p.isReady()) {
            source = null;
        }
        return p;
    }

    @Override
    public void drop() {
        Droppable.dropIfDroppable(source);
        source = null;
    }
}
