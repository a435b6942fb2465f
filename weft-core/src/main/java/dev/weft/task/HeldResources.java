package dev.weft.task;

/**
 * A {@link ResourceHolder} of its own, for a future that is not a task: the future given to
 * {@code blockOn}, whose resources are released when {@code blockOn} returns. Owned by the thread
 * that polls that future.
 */
public final class HeldResources implements ResourceHolder {

    private static final System.Logger LOGGER = System.getLogger(HeldResources.class.getName());

    private final String owner;
    private TaskResource head;

    /**
     * Creates an empty holder.
     *
     * @param owner names the holder in reports, such as {@code "blockOn"}
     */
    public HeldResources(String owner) {
        this.owner = owner;
    }

    @Override
    public void hold(TaskResource resource) {
        head = TaskResource.push(head, resource, this);
    }

    @Override
    public void letGo(TaskResource resource) {
        if (resource.heldBy() == this) {
            head = TaskResource.remove(head, resource);
        }
    }

    /** Releases everything still held. */
    public void releaseAll() {
        TaskResource all = head;
        head = null;
        TaskResource.releaseAll(all, LOGGER, this);
    }

    @Override
    public String toString() {
        return owner;
    }

    /**
     * Tells whether anything is held.
     *
     * @return true if empty
     */
    public boolean isEmpty() {
        return head == null;
    }
}
