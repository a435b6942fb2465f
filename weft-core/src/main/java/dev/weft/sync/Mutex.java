package dev.weft.sync;

import dev.weft.Future;
import dev.weft.task.Scoped;
import java.util.Objects;
import java.util.function.Function;

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
 * The guard's {@link Guard#unlock()} does, once, from any task or thread: a guard may be handed on
 * (returned, sent over a channel) and unlocked by whoever holds it. Nothing unlocks it for a task
 * that forgets, or that is aborted while holding it, as with {@code java.util.concurrent} locks
 * and kotlinx's {@code Mutex}. {@link #withLock} does: it unlocks when its body's future completes,
 * fails or is dropped, so a task that is gone holds no lock. A lock future dropped before it
 * completed (its task aborted, a {@code select} it lost, a timeout that expired) leaves the queue,
 * and the lock goes to the next task waiting.
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
        return semaphore.tryAcquire(1) ? new LockGuard<>(this, semaphore, 1, cell, true) : null;
    }

    /**
     * Takes the lock, runs {@code body}'s future with the guard, and unlocks when that future
     * completes, fails or is dropped (unless the body unlocked first).
     *
     * <pre>{@code
     * Future<Integer> next = counter.withLock(guard -> {
     *     guard.set(guard.get() + 1);
     *     return Async.ready(guard.get());
     * });
     * }</pre>
     *
     * @param body makes the future to run while the lock is held
     * @param <R>  its result
     * @return a future of the body's result
     * @throws NullPointerException if {@code body} is null
     */
    public <R> Future<R> withLock(Function<? super Guard<T>, ? extends Future<R>> body) {
        return new Scoped<>(lock(), Objects.requireNonNull(body, "body"), Mutex::unlockIfLocked);
    }

    /** Unlocks a guard of this package's locks unless its body unlocked it first. */
    static void unlockIfLocked(Guard<?> guard) {
        ((LockGuard<?>) guard).unlockIfLocked();
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
