package dev.weft.sched;

import dev.weft.runtime.ContextThread;

/**
 * A worker's thread: its context (the runtime, the worker's timer wheel) and its worker are
 * fields of the thread, found with a class check and a load, never a thread-local lookup.
 */
final class WorkerThread extends ContextThread {

    final Worker worker;

    WorkerThread(Worker worker, String name, long stackSize) {
        super(name, stackSize, worker.context);
        this.worker = worker;
        setDaemon(true);
    }

    @Override
    public void run() {
        worker.runtime.runWorker(worker);
    }
}
