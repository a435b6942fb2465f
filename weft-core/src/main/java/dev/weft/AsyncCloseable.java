package dev.weft;

/**
 * A resource that a task closes: its {@link #close()} may be called from any thread and returns
 * at once; {@link #closeAsync()} is the same as a future, for code that awaits its cleanup.
 * Sockets are ({@code dev.weft.net}); closing one fails the futures still waiting on it.
 */
public interface AsyncCloseable extends AutoCloseable {

    /**
     * Closes the resource; idempotent. Declares no exception: a failure to close is reported, not
     * thrown, since the resource is unusable either way.
     */
    @Override
    void close();

    /**
     * Closes the resource, as a future that completes once it is closed.
     *
     * @return a future of nothing
     */
    Future<Void> closeAsync();
}
