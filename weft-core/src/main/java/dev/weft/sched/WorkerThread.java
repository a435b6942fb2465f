package dev.weft.sched;

import dev.weft.AsyncRuntime;
import dev.weft.time.driver.TimerScope;
import dev.weft.time.driver.TimerThread;

/**
 * A worker's thread: knows its worker, so scheduling, {@code Async.current()} and timers need no
 * thread-local.
 */
final class WorkerThread extends Thread implements RuntimeThread, TimerThread {

    final Worker worker;

    WorkerThread(Worker worker, String name, long stackSize) {
        super(null, null, name, stackSize);
        this.worker = worker;
        setDaemon(true);
    }

    @Override
    public AsyncRuntime runtime() {
        return worker.runtime.handle;
    }

    @Override
    public TimerScope timerScope() {
        return worker.timerScope;
    }

    @Override
    public void run() {
        worker.runtime.runWorker(worker);
    }
}
