package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.task.Droppable;

/**
 * {@link Mutex#lock()}, {@link RwLock#read()} and {@link RwLock#write()}: the acquire of the
 * lock's permits, and the guard once they are granted. Dropped unfinished, it drops the acquire,
 * which leaves the queue or hands the permits on; once it has returned its guard, the lock is
 * the guard's.
 *
 * @param <T> the guarded value
 */
final class LockFuture<T> implements Future<Mutex.Guard<T>>, Droppable {

    private final Object lock;
    private final Cell<T> cell;
    private final boolean writes;
    final Acquire acquire;

    LockFuture(Object lock, Semaphore semaphore, int permits, Cell<T> cell, boolean writes) {
        this.lock = lock;
        this.cell = cell;
        this.writes = writes;
        this.acquire = new Acquire(semaphore, permits);
    }

    @Override
    public Poll<Mutex.Guard<T>> poll(Context cx) {
        if (!acquire.poll(cx).isReady()) {
            return Poll.pending();
        }
        return Poll.ready(new LockGuard<>(lock, acquire.semaphore, acquire.needed, cell, writes));
    }

    @Override
    public void drop() {
        acquire.drop();
    }
}
