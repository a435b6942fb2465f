package dev.weft;

/**
 * Thrown by a future that did not complete before its deadline, such as the future returned by
 * a timeout.
 */
public class DeadlineExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message says which deadline passed
     */
    public DeadlineExceededException(String message) {
        super(message);
    }
}
