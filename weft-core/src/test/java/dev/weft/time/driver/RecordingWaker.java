package dev.weft.time.driver;

import dev.weft.Waker;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A waker that counts its wakes and, optionally, records its id in a shared list when woken. */
final class RecordingWaker implements Waker {

    final int id;
    final AtomicInteger wakes = new AtomicInteger();
    private final List<Integer> log;

    RecordingWaker(int id, List<Integer> log) {
        this.id = id;
        this.log = log;
    }

    @Override
    public void wake() {
        wakes.incrementAndGet();
        if (log != null) {
            log.add(id);
        }
    }
}
