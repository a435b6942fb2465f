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
     * The thread's timer scope, in the thread itself: found by {@link TimerScope#current()} with
     * one load after the class check, at every timer's creation and poll.
     */
    private final TimerScope timerScope;

    /**
     * Creates the thread.
     *
     * @param name       its name
     * @param stackSize  its stack size in bytes, or 0 for the JVM's default
     * @param timerScope the scope of the runtime it drives, for its whole life
     */
    protected TimerThread(String name, long stackSize, TimerScope timerScope) {
        super(null, null, name, stackSize);
        this.timerScope = timerScope;
    }

    /**
     * Returns the thread's timer scope.
     *
     * @return the scope
     */
    public final TimerScope timerScope() {
        return timerScope;
    }
}
