package dev.weft;

import java.util.concurrent.CancellationException;

/**
 * Thrown when awaiting a task that was aborted, or cancelled by a runtime shutdown.
 *
 * <p>It extends {@link CancellationException}, so a {@link JoinHandle#toCompletableFuture()
 * CompletableFuture view} of a cancelled task reports {@code isCancelled()}.
 */
public class TaskCancelledException extends CancellationException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message says which task was cancelled and why
     */
    public TaskCancelledException(String message) {
        super(message);
    }
}
