package dev.weft.sync;

/**
 * A {@link Broadcast} receiver fell so far behind that the messages it had not received were
 * overwritten: {@link #missed()} says how many. The receiver continues from the oldest message
 * still kept.
 */
public class LaggedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long missed;

    /**
     * Creates the exception.
     *
     * @param missed the messages the receiver will never see
     */
    public LaggedException(long missed) {
        super("the receiver fell behind and missed " + missed + " messages");
        this.missed = missed;
    }

    /**
     * Returns how many messages the receiver missed.
     *
     * @return the count
     */
    public long missed() {
        return missed;
    }
}
