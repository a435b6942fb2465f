package dev.weft;

/** Checks shared by the combinators. */
final class Completion {

    private Completion() {
    }

    /**
     * Polls a combinator's inner future, refusing to poll one that already completed (the
     * combinator dropped it) and a poll that returns null.
     */
    static <T> Poll<T> poll(Future<T> inner, Context cx, String combinator) {
        if (inner == null) {
            throw new IllegalStateException("a '" + combinator
                    + "' future was polled after it completed");
        }
        Poll<T> p = inner.poll(cx);
        if (p == null) {
            throw new NullPointerException("a future inside '" + combinator
                    + "' returned null from poll; return Poll.pending() or Poll.ready(value)");
        }
        return p;
    }
}
