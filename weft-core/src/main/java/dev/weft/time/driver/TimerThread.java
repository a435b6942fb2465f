package dev.weft.time.driver;

/** A thread that drives a runtime for its whole life (a worker): it answers for its own timer scope. */
public interface TimerThread {

    /**
     * Returns the thread's timer scope.
     *
     * @return the scope
     */
    TimerScope timerScope();
}
