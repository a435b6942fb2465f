package dev.weft;

import java.util.Objects;

/**
 * The result of one {@link Future#poll(Context) poll}: ready with a value, or pending.
 *
 * <p>{@link #pending()} and {@code ready(null)} are shared instances, so futures that complete
 * without a value, or that are not ready yet, allocate nothing to say so.
 *
 * @param <T> the type of the value
 */
public final class Poll<T> {

    private static final Poll<?> PENDING = new Poll<>(false, null);
    private static final Poll<?> READY_NULL = new Poll<>(true, null);

    private final boolean ready;
    private final T value;

    private Poll(boolean ready, T value) {
        this.ready = ready;
        this.value = value;
    }

    /**
     * Returns a ready poll holding {@code value}.
     *
     * @param value the result, possibly {@code null}
     * @param <T>   the type of the value
     * @return a ready poll
     */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> ready(T value) {
        return value == null ? (Poll<T>) READY_NULL : new Poll<>(true, value);
    }

    /**
     * Returns the pending poll.
     *
     * @param <T> the type the future would complete with
     * @return the shared pending poll
     */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> pending() {
        return (Poll<T>) PENDING;
    }

    /**
     * Tells whether the future completed.
     *
     * @return true when ready, false when pending
     */
    public boolean isReady() {
        return ready;
    }

    /**
     * Returns the value of a ready poll.
     *
     * @return the value, possibly {@code null}
     * @throws IllegalStateException if this poll is pending
     */
    public T value() {
        if (!ready) {
            throw new IllegalStateException("Poll.value() called on a pending poll");
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Poll<?> that && ready == that.ready
                && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return ready ? 31 + Objects.hashCode(value) : 0;
    }

    @Override
    public String toString() {
        return ready ? "Ready(" + value + ")" : "Pending";
    }
}
