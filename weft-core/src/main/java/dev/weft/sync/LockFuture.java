package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.task.Droppable;

/**
 * {@link Mutex#lock()}: the semaphore's acquire of its one permit, and the guard once it is
 * granted. Dropped unfinished, it drops the acquire, which leaves the queue or hands the lock on.
 *
 * @param <T> the guarded value
 */
final class LockFuture<T> implements Future<Mutex.Guard<T>>, Droppable {

    private final Mutex<T> mutex;
    final Acquire acquire;

    LockFuture(Mutex<T> mutex) {
        this.mutex = mutex;
        this.acquire = new Acquire(mutex.semaphore, 1);
    }

    @Override
    public Poll<Mutex.Guard<T>> poll(Context cx) {
        if (!acquire.poll(cx).isReady()) {
            return Poll.pending();
        }
        return Poll.ready(MutexGuard.held(mutex));
    }

    @Override
    public void drop() {
        acquire.drop();
    }
}
