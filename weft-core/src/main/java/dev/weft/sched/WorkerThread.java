package dev.weft.sched;

import dev.weft.AsyncRuntime;
import dev.weft.time.driver.TimerThread;

/**
 * A worker's thread: knows its worker, so scheduling, {@code Async.current()} and timers need no
 * thread-local.
 */
final class WorkerThread extends TimerThread {

    final Worker worker;

    WorkerThread(Worker worker, String name, long stackSize) {
        super(name, stackSize, worker.timerScope);
        this.worker = worker;
        setDaemon(true);
    }

    /** The runtime the thread works for, for its whole life. */
    AsyncRuntime runtime() {
        return worker.runtime.handle;
    }

    @Override
    public void run() {
        worker.runtime.runWorker(worker);
    }
}
