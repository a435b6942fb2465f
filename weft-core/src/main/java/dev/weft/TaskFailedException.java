package dev.weft;

/**
 * Thrown when awaiting a task, or {@link AsyncRuntime#blockOn(Future) blockOn}, whose future
 * failed with a checked exception; that exception is the cause. Unchecked exceptions are rethrown
 * as they are, without this wrapper.
 */
public class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message says which task failed
     * @param cause   the checked exception the task's future threw
     */
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
