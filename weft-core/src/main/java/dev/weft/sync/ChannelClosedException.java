package dev.weft.sync;

/**
 * A send to a closed {@link Channel} (the message was not sent), or a receive from a
 * {@link Oneshot} closed before its value was sent.
 */
public class ChannelClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused
     */
    public ChannelClosedException(String message) {
        super(message);
    }
}
