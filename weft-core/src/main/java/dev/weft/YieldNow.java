package dev.weft;

/** {@link Async#yieldNow()}: pending once, after waking itself, so other tasks run first. */
final class YieldNow implements Future<Void> {

    private boolean yielded;

    @Override
    public Poll<Void> poll(Context cx) {
        if (yielded) {
            return Poll.ready(null);
        }
        yielded = true;
        cx.waker().wake();
        return Poll.pending();
    }
}
