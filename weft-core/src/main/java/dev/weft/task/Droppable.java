package dev.weft.task;

/**
 * A future that holds something in the runtime until it completes (an armed timer), and gives
 * it back at once when a combinator drops it unfinished: the loser of a {@code select}, the
 * future of a timeout that expired. Without this it would be given back only when its task ends.
 */
public interface Droppable {

    /** Gives back what the future holds; it will not be polled again. Idempotent. */
    void drop();

    /**
     * Drops {@code future} if it is {@link Droppable}; does nothing otherwise.
     *
     * @param future the future a combinator no longer needs
     */
    static void dropIfDroppable(Object future) {
        if (future instanceof Droppable droppable) {
            droppable.drop();
        }
    }
}
