package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Waker;

/**
 * One task, as the Lincheck tests of this package play it: the context its futures are polled
 * with, and a waker that records whether it was woken since {@link #polling()}.
 */
abstract class TaskStandIn implements Context, Waker {
    private volatile boolean woken;

    @Override
    public Waker waker() {
        return this;
    }

    @Override
    public void wake() {
        woken = true;
    }

    /** Called before each poll: a wake from now on is for this poll's pending result. */
    final void polling() {
        woken = false;
    }

    /** Whether woken since the last {@link #polling()}. */
    final boolean woken() {
        return woken;
    }
}
