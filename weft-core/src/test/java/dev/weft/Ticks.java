package dev.weft;

import dev.weft.time.Interval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A future that awaits {@code count} ticks of an interval, one after the other, and records them.
 */
final class Ticks implements Future<List<Instant>> {

    private final Interval interval;
    private final int count;
    private final List<Instant> ticks = new ArrayList<>();
    private Future<Instant> next;

    Ticks(Interval interval, int count) {
        this.interval = interval;
        this.count = count;
    }

    /** The ticks received so far; for the thread that drives the runtime. */
    List<Instant> soFar() {
        return ticks;
    }

    @Override
    public Poll<List<Instant>> poll(Context cx) {
        while (true) {
            if (next == null) {
                next = interval.tick();
            }
            Poll<Instant> p = next.poll(cx);
            if (!p.isReady()) {
                return Poll.pending();
            }
            ticks.add(p.value());
            next = null;
            if (ticks.size() == count) {
                return Poll.ready(List.copyOf(ticks));
            }
        }
    }
}
