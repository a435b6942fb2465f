package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.task.Droppable;
import java.util.Objects;

/**
 * One value that changes, for tasks that want the latest (Tokio's {@code watch}): a
 * configuration, a state. {@link #set} replaces it; each {@link Receiver} sees the latest value,
 * and {@link Receiver#changed()} completes once per new version it has not seen, with the value
 * then (so a receiver that falls behind skips the versions in between, never the latest).
 *
 * <pre>{@code
 * Watch<Config> config = new Watch<>(initial);
 * Watch.Receiver<Config> mine = config.subscribe();
 * Future<Config> next = mine.changed();        // completes at the next set
 * config.set(updated);
 * }</pre>
 *
 * @param <T> the value
 */
public final class Watch<T> {

    /** A value and its version, replaced whole. */
    private record Version<T>(T value, long number) {
    }

    /** The latest version; replaced under this watch's monitor, read without it. */
    private volatile Version<T> latest;
    /** Wakes the receivers waiting for a change, at every set. */
    private final Notify changes = new Notify();

    /**
     * Creates a watch.
     *
     * @param initial the first value; may be null
     */
    public Watch(T initial) {
        this.latest = new Version<>(initial, 0);
    }

    /**
     * Replaces the value, as a new version, and wakes every receiver waiting for a change.
     *
     * @param value the new value; may be null
     */
    public void set(T value) {
        synchronized (this) {
            latest = new Version<>(value, latest.number() + 1);
        }
        changes.notifyWaiters();
    }

    /**
     * Returns the latest value.
     *
     * @return the value
     */
    public T get() {
        return latest.value();
    }

    /**
     * A receiver that has seen the latest value: its {@code changed()} waits for the next.
     *
     * @return the receiver
     */
    public Receiver<T> subscribe() {
        return new Subscription<>(this);
    }

    @Override
    public String toString() {
        return "Watch[version " + latest.number() + "]";
    }

    /**
     * One subscriber's view of a {@link Watch}.
     *
     * @param <T> the value
     */
    public interface Receiver<T> {

        /**
         * Waits for a version this receiver has not seen, and marks it seen.
         *
         * @return a future of the value of the latest version, at once if one is unseen
         */
        Future<T> changed();

        /**
         * Returns the latest value, without marking it seen.
         *
         * @return the value
         */
        T get();
    }

    /** A receiver: the last version it saw. Used by one task at a time. */
    private static final class Subscription<T> implements Receiver<T> {
        private final Watch<T> watch;
        private long seen;

        Subscription(Watch<T> watch) {
            this.watch = watch;
            this.seen = watch.latest.number();
        }

        @Override
        public Future<T> changed() {
            return new Changed<>(this);
        }

        @Override
        public T get() {
            return watch.get();
        }

        @Override
        public String toString() {
            return "Receiver[seen version " + seen + " of " + watch + "]";
        }
    }

    /** {@link Receiver#changed()}: an unseen version at once, or a wait for the next set. */
    private static final class Changed<T> implements Future<T>, Droppable {
        private final Subscription<T> receiver;
        private Future<Void> waiting;
        private boolean completed;

        Changed(Subscription<T> receiver) {
            this.receiver = Objects.requireNonNull(receiver);
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (completed) {
                throw new IllegalStateException("a changed() future was polled after it "
                        + "completed");
            }
            while (true) {
                Version<T> v = receiver.watch.latest;
                if (v.number() != receiver.seen) {
                    receiver.seen = v.number();
                    completed = true;
                    drop();
                    return Poll.ready(v.value());
                }
                if (waiting == null) {
                    // Made before the look again: a set from now on completes it.
                    waiting = receiver.watch.changes.notified();
                    continue;
                }
                if (!waiting.poll(cx).isReady()) {
                    return Poll.pending();
                }
                waiting = null;
            }
        }

        @Override
        public void drop() {
            Future<Void> w = waiting;
            waiting = null;
            Droppable.dropIfDroppable(w);
        }
    }
}
