package dev.weft.sync;

import dev.weft.Future;

/**
 * A fair mutual-exclusion lock for tasks that holds the value it guards: {@link #lock()} waits
 * without blocking a thread, and tasks get the lock in the order they asked for it (a
 * {@link Semaphore} of one permit underneath).
 *
 * <pre>{@code
 * Mutex<Integer> counter = new Mutex<>(0);
 * Future<Integer> next = counter.lock().map(guard -> {
 *     int n = guard.get() + 1;
 *     guard.set(n);
 *     guard.unlock();
 *     return n;
 * });
 * }</pre>
 *
 * <h2>Who unlocks</h2>
 * The guard's {@link Guard#unlock()} does, once. A task that is aborted or fails while holding a
 * guard has it unlocked for it, so a task that is gone holds no lock; a task that completes with
 * a value keeps what it holds, so that a guard can be returned (from {@code blockOn}, say) and
 * unlocked by whoever receives it. A lock future dropped before it completed (its task aborted, a
 * {@code select} it lost, a timeout that expired) leaves the queue, and the lock goes to the next
 * task waiting.
 *
 * <p>The value is read and written through the guard, and only while locked: each unlock
 * happens-before the next lock's guard sees the value.
 *
 * @param <T> the guarded value
 */
public final class Mutex<T> {

    final Semaphore semaphore = new Semaphore(1);
    private final Cell<T> cell;

    /**
     * Creates an unlocked mutex.
     *
     * @param value the value it guards; may be null
     */
    public Mutex(T value) {
        this.cell = new Cell<>(value);
    }

    /**
     * Waits for the lock. The future does nothing until polled.
     *
     * @return a future of the guard, which holds the lock until unlocked
     */
    public Future<Guard<T>> lock() {
        return new LockFuture<>(this, semaphore, 1, cell, true);
    }

    /**
     * Takes the lock if it is free and no task waits for it.
     *
     * @return the guard, or null if the lock is held or asked for
     */
    public Guard<T> tryLock() {
        return semaphore.tryAcquire(1) ? LockGuard.held(this, semaphore, 1, cell, true) : null;
    }

    @Override
    public String toString() {
        return semaphore.availablePermits() == 1 ? "Mutex[unlocked]" : "Mutex[locked]";
    }

    /**
     * The lock, held: access to the value until {@link #unlock()}. Also what an {@link RwLock}
     * hands out, for reading or writing.
     *
     * @param <T> the guarded value
     */
    public interface Guard<T> {

        /**
         * Returns the value.
         *
         * @return the value
         * @throws IllegalStateException if this guard was unlocked
         */
        T get();

        /**
         * Replaces the value.
         *
         * @param value the new value; may be null
         * @throws IllegalStateException if this guard was unlocked, or is a read guard of an
         *                               {@link RwLock}
         */
        void set(T value);

        /**
         * Unlocks: the next waiting task, if any, gets the lock.
         *
         * @throws IllegalStateException if this guard was unlocked already
         */
        void unlock();
    }
}
