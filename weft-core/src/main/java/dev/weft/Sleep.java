package dev.weft;

import java.time.Duration;
import java.time.Instant;

/** {@code Async.sleep} and {@code Async.sleepUntil}: pending until its deadline, then ready. */
final class Sleep extends Alarm implements Future<Void> {

    private static final Poll<Void> READY = Poll.ready(null);

    private Sleep(Duration delay) {
        super(delay);
    }

    private Sleep(Instant deadline) {
        super(deadline);
    }

    /**
     * A sleep of {@code delay} from now.
     *
     * @param delay zero or more
     * @return the sleep
     */
    static Sleep after(Duration delay) {
        return new Sleep(delay);
    }

    /**
     * A sleep until {@code deadline}, on the clock of the runtime that polls it.
     *
     * @param deadline the instant
     * @return the sleep
     */
    static Sleep until(Instant deadline) {
        return new Sleep(deadline);
    }

    @Override
    public Poll<Void> poll(Context cx) {
        return isDue(pollingContext("a sleep"), cx.waker()) ? READY : Poll.pending();
    }
}
