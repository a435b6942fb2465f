package dev.weft;

import dev.weft.task.Droppable;
import java.util.function.Function;

/**
 * {@link Future#then}: runs the future made from the first result, and completes with its.
 * Dropping it drops whichever of the two it is running.
 *
 * <p>A loop written as recursion, {@code step().then(v -> loop())}, makes each next future a
 * {@code ThenFuture} of its own. Polled as it is, the chain would nest one level per turn: the
 * stack of one poll and the memory held would grow with the number of turns, and a loop whose
 * steps complete at once would overflow the stack inside a single poll. So a next future that is
 * a {@code ThenFuture} is not polled but absorbed: this one takes over its stage, the way a tail
 * call reuses its frame. Depth and memory stay constant however long the loop runs.
 */
final class ThenFuture<T, U> implements Future<U>, Droppable {

    /** The stage running now: its result goes to {@link #fn}. Null once {@link #second} is set. */
    private Future<?> first;
    private Function<Object, ? extends Future<U>> fn;
    private Future<U> second;

    @SuppressWarnings("unchecked") // T is what first yields; fn is only ever applied to that
    ThenFuture(Future<T> first, Function<? super T, ? extends Future<U>> fn) {
        this.first = first;
        this.fn = (Function<Object, ? extends Future<U>>) fn;
    }

    @Override
    public Poll<U> poll(Context cx) {
        while (true) {
            if (second == null) {
                Poll<?> p = Completion.poll(first, cx, "then");
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
            if (!(second instanceof ThenFuture)) {
                return second.poll(cx);
            }
            absorb((ThenFuture<?, U>) second);
        }
    }

    /** Takes over {@code next}'s stage; {@code next} is not used again. */
    private void absorb(ThenFuture<?, U> next) {
        first = next.first;
        fn = next.fn;
        second = next.second;
        next.first = null;
        next.fn = null;
        next.second = null;
    }

    @Override
    public void drop() {
        Droppable.dropIfDroppable(first);
        Droppable.dropIfDroppable(second);
        first = null;
        second = null;
    }
}
