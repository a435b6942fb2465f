package dev.weft.runtime;

/**
 * A thread that drives one runtime for its whole life (a worker): it holds its
 * {@link ThreadContext} itself, so that {@link ThreadContext#current()} finds it with one field
 * load after a class check, on every poll and every timer created, with no thread-local lookup.
 *
 * <p>A class, not an interface, on purpose: {@code instanceof} an interface consults a one-entry
 * cache per class, which threads checking the same thread class against two interfaces overwrite
 * in turn, a cache line bouncing between cores on JDK 17 (JDK-8180450). A superclass check is a
 * fixed load and compare. A scheduler extends it with what it keeps per thread (its worker).
 */
public abstract class ContextThread extends Thread {

    private final ThreadContext context;

    /**
     * Creates the thread.
     *
     * @param name      its name
     * @param stackSize its stack size in bytes, or 0 for the JVM's default
     * @param context   the context of the runtime it drives, for its whole life
     */
    protected ContextThread(String name, long stackSize, ThreadContext context) {
        super(null, null, name, stackSize);
        this.context = context;
    }

    /**
     * Returns the thread's context.
     *
     * @return the context, never null
     */
    public final ThreadContext context() {
        return context;
    }
}
