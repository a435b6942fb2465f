package dev.weft.task;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The future of {@code withLock}, {@code withRead}, {@code withWrite}, {@code withPermits}
 * ({@code dev.weft.sync}) and {@code withBuffer} ({@code dev.weft.buffer}): takes something (a
 * guard, permits, a buffer), runs the body's future with it, and gives it back when that future
 * completes, fails, or is dropped (its task aborted, a {@code select} it lost, a timeout that
 * expired). So what it took is never left held by a task that is gone. A drop before it took
 * anything drops the taking, which leaves its queue.
 *
 * @param <G> what is taken
 * @param <R> the body's result
 */
public final class Scoped<G, R> implements Future<R>, Droppable {

    private Future<G> taking;
    private Function<? super G, ? extends Future<R>> body;
    private final Consumer<? super G> giveBack;
    private G taken;
    private boolean holding;
    private Future<R> running;

    /**
     * A scoped future.
     *
     * @param taking   takes what the body needs, when polled
     * @param body     the work, given what was taken
     * @param giveBack gives it back, once
     */
    public Scoped(Future<G> taking, Function<? super G, ? extends Future<R>> body,
            Consumer<? super G> giveBack) {
        this.taking = taking;
        this.body = body;
        this.giveBack = giveBack;
    }

    /**
     * A scoped future of something taken already: it is given back even if the future is dropped
     * before its first poll.
     *
     * @param held     what the body needs, held by the caller until now
     * @param body     the work, given it
     * @param giveBack gives it back, once
     * @param <G>      what is held
     * @param <R>      the body's result
     * @return the future
     */
    public static <G, R> Scoped<G, R> holding(G held,
            Function<? super G, ? extends Future<R>> body, Consumer<? super G> giveBack) {
        Scoped<G, R> scoped = new Scoped<>(cx -> Poll.ready(held), body, giveBack);
        scoped.taken = held;
        scoped.holding = true;
        return scoped;
    }

    /** Takes, then runs the body; gives back once the body's future ends. */
    @Override
    public Poll<R> poll(Context cx) {
        if (running == null) {
            if (taking == null) {
                throw new IllegalStateException("a scoped future (withLock, withPermits, "
                        + "withBuffer, ...) was polled after it completed");
            }
            Poll<G> took = taking.poll(cx);
            if (!took.isReady()) {
                return Poll.pending();
            }
            taking = null;
            taken = took.value();
            holding = true;
            Function<? super G, ? extends Future<R>> fn = body;
            body = null;
            try {
                running = fn.apply(taken);
            } catch (RuntimeException | Error failure) {
                giveBack();
                throw failure;
            }
            if (running == null) {
                giveBack();
                throw new NullPointerException("the body returned null instead of a future");
            }
        }
        Poll<R> p;
        try {
            p = running.poll(cx);
        } catch (RuntimeException | Error failure) {
            running = null;
            giveBack();
            throw failure;
        }
        if (p.isReady()) {
            running = null;
            giveBack();
        }
        return p;
    }

    /** Drops the taking or the body, whichever is under way, and gives back what was taken. */
    @Override
    public void drop() {
        Future<G> t = taking;
        taking = null;
        Droppable.dropIfDroppable(t);
        Future<R> r = running;
        running = null;
        Droppable.dropIfDroppable(r);
        giveBack();
    }

    /** Gives back what was taken, once. */
    private void giveBack() {
        if (holding) {
            holding = false;
            G g = taken;
            taken = null;
            giveBack.accept(g);
        }
    }
}
