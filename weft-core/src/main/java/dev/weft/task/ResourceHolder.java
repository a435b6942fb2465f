package dev.weft.task;

/**
 * Holds {@link TaskResource}s until it ends: a {@link Task}, or the future given to
 * {@code blockOn} ({@link HeldResources}). Both methods are called by the thread polling the
 * holder's future, from inside that poll.
 */
public interface ResourceHolder {

    /**
     * Holds a resource until it is let go or the holder ends.
     *
     * @param resource a resource held by nobody
     * @throws IllegalStateException if another holder holds it
     */
    void hold(TaskResource resource);

    /**
     * Stops holding a resource, without releasing it: its user gave it back already. Does nothing
     * if this holder does not hold it.
     *
     * @param resource the resource
     */
    void letGo(TaskResource resource);
}
