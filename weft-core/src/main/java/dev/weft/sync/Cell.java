package dev.weft.sync;

/**
 * The value a lock guards ({@link Mutex}, {@link RwLock}), read and written through guards only,
 * while the lock is held: the semaphore's release by one holder happens-before the grant to the
 * next, so a plain field is enough.
 *
 * @param <T> the value
 */
final class Cell<T> {
    T value;

    Cell(T value) {
        this.value = value;
    }
}
