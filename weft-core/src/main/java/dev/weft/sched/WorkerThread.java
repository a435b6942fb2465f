package dev.weft.sched;

import dev.weft.AsyncRuntime;

/** A worker's thread: knows its worker, so scheduling and {@code Async.current()} need no thread-local. */
final class WorkerThread extends Thread implements RuntimeThread {

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
    public void run() {
        worker.runtime.runWorker(worker);
    }
}
