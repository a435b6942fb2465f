package dev.weft.sched;

import dev.weft.AsyncRuntime;

/** A thread that belongs to a runtime for its whole life: a worker. */
interface RuntimeThread {

    /**
     * Returns the runtime the thread works for.
     *
     * @return the runtime
     */
    AsyncRuntime runtime();
}
