package dev.weft;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hand-written future for tests: pending until {@link #open()} is called, from any thread; then
 * ready. Shows how a future stores the latest waker and how a producer wakes it.
 */
public final class Latch implements Future<Void> {

    private final AtomicBoolean open = new AtomicBoolean();
    private final AtomicReference<Waker> waker = new AtomicReference<>();

    /** Creates a closed latch. */
    public Latch() {
    }

    /** Opens the latch and wakes whoever polled it last. Any thread. */
    public void open() {
        open.set(true);
        Waker w = waker.get();
        if (w != null) {
            w.wake();
        }
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if (open.get()) {
            return Poll.ready(null);
        }
        waker.set(cx.waker());
        // Checked again after publishing the waker: open() may have run in between.
        return open.get() ? Poll.ready(null) : Poll.pending();
    }
}
