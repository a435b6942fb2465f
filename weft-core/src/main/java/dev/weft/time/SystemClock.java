package dev.weft.time;

import java.time.Instant;

/** {@link Clock#system()}: the JVM's own clocks. */
final class SystemClock implements Clock {

    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant instant() {
        return Instant.now();
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}
