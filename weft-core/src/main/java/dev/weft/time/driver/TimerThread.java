package dev.weft.time.driver;

/**
 * A thread that drives a runtime for its whole life (a worker): it answers for its own timer
 * scope, so that finding it costs no thread-local lookup.
 *
 * <p>A class, not an interface, on purpose: {@code instanceof} an interface consults a one-entry
 * cache per class, which threads checking the same thread class against two interfaces (as the
 * runtime and the timers both would on every poll) overwrite in turn, a cache line bouncing
 * between cores on JDK 17 (JDK-8180450). A superclass check is a fixed load and compare.
 */
public abstract class TimerThread extends Thread {

    /**
     * Creates the thread.
     *
     * @param name      its name
     * @param stackSize its stack size in bytes, or 0 for the JVM's default
     */
    protected TimerThread(String name, long stackSize) {
        super(null, null, name, stackSize);
    }

    /**
     * Returns the thread's timer scope.
     *
     * @return the scope
     */
    public abstract TimerScope timerScope();
}
