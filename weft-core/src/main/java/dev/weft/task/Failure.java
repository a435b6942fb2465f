package dev.weft.task;

import dev.weft.TaskFailedException;

/**
 * An exception thrown by a task's future, kept as the task's outcome, and the one rule by which
 * failures reach the code that awaits them: unchecked exceptions as they are, checked ones
 * wrapped in {@link TaskFailedException}.
 *
 * @param cause what the future threw
 */
public record Failure(Throwable cause) {

    /**
     * Returns what to throw for {@code failure}: the exception itself if unchecked, otherwise a
     * {@link TaskFailedException} naming {@code what} with it as the cause. Errors are thrown
     * directly.
     *
     * @param failure the exception a future threw
     * @param what    names the failed computation, such as {@code task 'fetch'}
     * @return the exception to throw
     */
    public static RuntimeException asUnchecked(Throwable failure, String what) {
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new TaskFailedException(what + " failed with " + failure, failure);
    }
}
