package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.task.Droppable;

/**
 * A future polled by hand, as one task would poll it, with a waker that counts its wakes: for
 * tests of the primitives' own rules, without a runtime.
 *
 * @param <T> the future's result
 */
final class Polled<T> implements Context, Waker {
    private final Future<T> future;
    private int wakes;

    Polled(Future<T> future) {
        this.future = future;
    }

    @Override
    public Waker waker() {
        return this;
    }

    @Override
    public void wake() {
        wakes++;
    }

    /** Polls once. */
    Poll<T> poll() {
        return future.poll(this);
    }

    /** Polls once; true if ready. */
    boolean ready() {
        return poll().isReady();
    }

    /** Wakes since the start. */
    int wakes() {
        return wakes;
    }

    /** Drops the future, as a combinator or an aborted task does. */
    void drop() {
        ((Droppable) future).drop();
    }
}
