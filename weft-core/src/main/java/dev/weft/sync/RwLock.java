package dev.weft.sync;

import dev.weft.Future;
import dev.weft.task.Scoped;
import java.util.Objects;
import java.util.function.Function;

/**
 * A fair read-write lock for tasks that holds the value it guards: any number of readers at once,
 * or one writer. Tasks get it in the order they asked, so a writer waits only for the readers
 * that came before it, and readers that come after a waiting writer wait behind it: a stream of
 * readers never starves a writer. As Tokio's: a {@link Semaphore} of {@link #MAX_READS} permits,
 * one per reader, all of them for the writer.
 *
 * <pre>{@code
 * RwLock<Config> config = new RwLock<>(initial);
 * Future<String> name = config.read().map(guard -> {
 *     String n = guard.get().name();
 *     guard.unlock();
 *     return n;
 * });
 * }</pre>
 *
 * <p>Guards follow {@link Mutex}'s rules: unlocked once by {@link Mutex.Guard#unlock()}, from
 * any task or thread, or by {@link #withRead}/{@link #withWrite} when their body's future
 * completes, fails or is dropped; a lock future dropped unfinished leaves the queue and hands on
 * what it had been given. A read guard's {@link Mutex.Guard#set} throws.
 *
 * @param <T> the guarded value
 */
public final class RwLock<T> {

    /** Readers that may hold the lock at once: every permit of the semaphore. */
    public static final int MAX_READS = Semaphore.MAX_PERMITS;

    private final Semaphore semaphore = new Semaphore(MAX_READS);
    private final Cell<T> cell;

    /**
     * Creates an unlocked read-write lock.
     *
     * @param value the value it guards; may be null
     */
    public RwLock(T value) {
        this.cell = new Cell<>(value);
    }

    /**
     * Waits to read: until no writer holds the lock or waits before this call's first poll.
     *
     * @return a future of a read guard
     */
    public Future<Mutex.Guard<T>> read() {
        return new LockFuture<>(this, semaphore, 1, cell, false);
    }

    /**
     * Waits to write: until no reader or writer holds the lock, in turn.
     *
     * @return a future of a write guard
     */
    public Future<Mutex.Guard<T>> write() {
        return new LockFuture<>(this, semaphore, MAX_READS, cell, true);
    }

    /**
     * Takes a read guard if no writer holds the lock and no task waits for it.
     *
     * @return the read guard, or null
     */
    public Mutex.Guard<T> tryRead() {
        return semaphore.tryAcquire(1) ? new LockGuard<>(this, semaphore, 1, cell, false) : null;
    }

    /**
     * Takes a write guard if nobody holds the lock and no task waits for it.
     *
     * @return the write guard, or null
     */
    public Mutex.Guard<T> tryWrite() {
        return semaphore.tryAcquire(MAX_READS)
                ? new LockGuard<>(this, semaphore, MAX_READS, cell, true) : null;
    }

    /**
     * Reads under the lock: runs {@code body}'s future with a read guard, and unlocks when that
     * future completes, fails or is dropped (unless the body unlocked first).
     *
     * @param body makes the future to run while the lock is held for reading
     * @param <R>  its result
     * @return a future of the body's result
     * @throws NullPointerException if {@code body} is null
     */
    public <R> Future<R> withRead(Function<? super Mutex.Guard<T>, ? extends Future<R>> body) {
        return new Scoped<>(read(), Objects.requireNonNull(body, "body"), Mutex::unlockIfLocked);
    }

    /**
     * Writes under the lock: runs {@code body}'s future with a write guard, and unlocks when that
     * future completes, fails or is dropped (unless the body unlocked first).
     *
     * @param body makes the future to run while the lock is held for writing
     * @param <R>  its result
     * @return a future of the body's result
     * @throws NullPointerException if {@code body} is null
     */
    public <R> Future<R> withWrite(Function<? super Mutex.Guard<T>, ? extends Future<R>> body) {
        return new Scoped<>(write(), Objects.requireNonNull(body, "body"), Mutex::unlockIfLocked);
    }

    @Override
    public String toString() {
        int free = semaphore.availablePermits();
        if (free == MAX_READS) {
            return "RwLock[unlocked]";
        }
        return free == 0 ? "RwLock[locked]" : "RwLock[read by " + (MAX_READS - free) + "]";
    }
}
