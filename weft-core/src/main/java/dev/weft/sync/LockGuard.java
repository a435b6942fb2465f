package dev.weft.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The guard of a {@link Mutex}, or of an {@link RwLock} for reading or writing: the permits it
 * holds of the lock's semaphore, and access to the value while it holds them. {@code unlocked}
 * goes from 0 to 1 once, by CAS, so the permits go back exactly once, whoever unlocks (the
 * holder, or the {@code Scoped} future of {@code withLock} around it).
 *
 * @param <T> the guarded value
 */
final class LockGuard<T> implements Mutex.Guard<T> {

    private static final VarHandle UNLOCKED;

    static {
        try {
            UNLOCKED = MethodHandles.lookup().findVarHandle(LockGuard.class, "unlocked",
                    int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The mutex or read-write lock, named in messages. */
    private final Object lock;
    private final Semaphore semaphore;
    private final int permits;
    private final Cell<T> cell;
    private final boolean writes;
    /** 0 while locked, 1 once unlocked. */
    private volatile int unlocked;

    /**
     * A guard of the permits the caller just took.
     *
     * @param lock      the lock, for messages
     * @param semaphore its semaphore
     * @param permits   the permits taken
     * @param cell      the value
     * @param writes    whether {@link #set} is allowed
     */
    LockGuard(Object lock, Semaphore semaphore, int permits, Cell<T> cell, boolean writes) {
        this.lock = lock;
        this.semaphore = semaphore;
        this.permits = permits;
        this.cell = cell;
        this.writes = writes;
    }

    @Override
    public T get() {
        checkLocked();
        return cell.value;
    }

    @Override
    public void set(T value) {
        checkLocked();
        if (!writes) {
            throw new IllegalStateException("a read guard of " + lock + " cannot set the value");
        }
        cell.value = value;
    }

    @Override
    public void unlock() {
        if (!unlockIfLocked()) {
            throw new IllegalStateException("this guard of " + lock + " was unlocked already");
        }
    }

    /**
     * Unlocks unless unlocked already.
     *
     * @return true if this call unlocked
     */
    boolean unlockIfLocked() {
        if (!UNLOCKED.compareAndSet(this, 0, 1)) {
            return false;
        }
        semaphore.release(permits);
        return true;
    }

    private void checkLocked() {
        if (unlocked != 0) {
            throw new IllegalStateException("this guard of " + lock + " was unlocked");
        }
    }

    @Override
    public String toString() {
        return (writes ? "Guard[" : "ReadGuard[") + (unlocked != 0 ? "unlocked" : "locked")
                + " of " + lock + "]";
    }
}
