package dev.weft.task;

import java.util.Objects;

/**
 * Something a task holds only while it lives, such as an armed timer: released when the task
 * ends, however it ends (a value, a failure, an abort, a shutdown), so that an ended task leaves
 * nothing behind in the runtime.
 *
 * <p>A resource is held by at most one {@link ResourceHolder} at a time, on an intrusive doubly
 * linked list through the resource itself, so holding and letting go cost O(1) and allocate
 * nothing. The list belongs to whoever may poll the holder's future: a task's list is touched
 * only by the thread holding its RUNNING claim (or completing it), like the task's future, and
 * is published from one such thread to the next by the task's state word.
 */
public abstract class TaskResource {

    /** Links of the holder's list; null at the ends. */
    private TaskResource previousHeld;
    private TaskResource nextHeld;
    /** The holder, or null while not held. */
    private ResourceHolder heldBy;

    /** For subclasses. */
    protected TaskResource() {
    }

    /**
     * Gives the resource back because its holder ended while it still held it. Called at most
     * once per hold, by the thread ending the holder, after the resource left the list. Must not
     * throw; what it throws is logged.
     */
    protected abstract void release();

    /**
     * Returns the holder that holds this resource now.
     *
     * @return the holder, or null
     */
    public final ResourceHolder heldBy() {
        return heldBy;
    }

    /**
     * Links {@code resource} at the front of a holder's list.
     *
     * @param head     the list's head, or null
     * @param resource a resource held by nobody
     * @param holder   the new holder
     * @return the new head
     */
    static TaskResource push(TaskResource head, TaskResource resource, ResourceHolder holder) {
        Objects.requireNonNull(resource, "resource");
        if (resource.heldBy != null) {
            throw new IllegalStateException("a resource is held by one holder at a time");
        }
        resource.heldBy = holder;
        resource.nextHeld = head;
        if (head != null) {
            head.previousHeld = resource;
        }
        return resource;
    }

    /**
     * Unlinks {@code resource} from its holder's list.
     *
     * @param head     the list's head
     * @param resource a resource of this list
     * @return the new head
     */
    static TaskResource remove(TaskResource head, TaskResource resource) {
        TaskResource previous = resource.previousHeld;
        TaskResource next = resource.nextHeld;
        if (next != null) {
            next.previousHeld = previous;
        }
        if (previous != null) {
            previous.nextHeld = next;
        } else {
            head = next;
        }
        resource.previousHeld = null;
        resource.nextHeld = null;
        resource.heldBy = null;
        return head;
    }

    /**
     * Releases every resource of a list, emptying it.
     *
     * @param head   the list's head, or null
     * @param logger where a failing release is reported
     * @param owner  the holder, named in that report (only then: a task's name costs a string)
     */
    static void releaseAll(TaskResource head, System.Logger logger, Object owner) {
        while (head != null) {
            TaskResource resource = head;
            head = remove(head, resource);
            try {
                resource.release();
            } catch (Throwable failure) {
                // One failing release must not keep the others held, nor fail the completion.
                logger.log(System.Logger.Level.ERROR,
                        "a resource held by " + owner + " failed to release", failure);
            }
        }
    }
}
