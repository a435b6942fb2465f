package dev.weft.time.driver;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.time.Duration;
import java.time.Instant;

/** {@code Async.sleep} and {@code Async.sleepUntil}: pending until its deadline, then ready. */
public final class Sleep extends Alarm implements Future<Void> {

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
    public static Sleep after(Duration delay) {
        return new Sleep(delay);
    }

    /**
     * A sleep until {@code deadline}, on the clock of the runtime that polls it.
     *
     * @param deadline the instant
     * @return the sleep
     */
    public static Sleep until(Instant deadline) {
        return new Sleep(deadline);
    }

    @Override
    public Poll<Void> poll(Context cx) {
        TimerScope scope = TimerScope.require("a sleep");
        return isDue(scope, cx.waker()) ? READY : Poll.pending();
    }
}
