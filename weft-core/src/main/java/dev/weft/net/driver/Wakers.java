package dev.weft.net.driver;

import dev.weft.Waker;
import dev.weft.task.Wakes;
import java.util.Arrays;

/**
 * The wakers a select found, collected while the selector is busy and woken once it is done, so
 * that no waker runs inside the selector's own call (a waker may register a channel or arm an
 * interest). The holder's alone; it grows to the largest batch and keeps that room.
 */
final class Wakers {

    private Waker[] wakers = new Waker[64];
    private int size;

    void add(Waker w) {
        if (size == wakers.length) {
            wakers = Arrays.copyOf(wakers, size * 2);
        }
        wakers[size++] = w;
    }

    /** Wakes every waker collected, then forgets them. */
    void wakeAll() {
        for (int i = 0; i < size; i++) {
            Waker w = wakers[i];
            wakers[i] = null;
            Wakes.wake(w, "on readiness");
        }
        size = 0;
    }
}
