package dev.weft.sync;

import dev.weft.runtime.ThreadContext;
import dev.weft.task.ResourceHolder;
import dev.weft.task.TaskResource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The guard of a {@link Mutex}, or of an {@link RwLock} for reading or writing: the permits it
 * holds of the lock's semaphore, and access to the value while it holds them. It is a resource of
 * the task (or {@code blockOn}) whose poll took the lock: if that holder fails or is aborted with
 * the guard still locked, {@link #release()} unlocks it; a holder that ends with a value only
 * lets go of it (see {@link TaskResource#keptOnNormalEnd()}). {@code unlocked} goes from 0 to 1
 * once, by CAS, so an unlock and that release never both give the permits back.
 *
 * @param <T> the guarded value
 */
final class LockGuard<T> extends TaskResource implements Mutex.Guard<T> {

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

    private LockGuard(Object lock, Semaphore semaphore, int permits, Cell<T> cell,
            boolean writes) {
        this.lock = lock;
        this.semaphore = semaphore;
        this.permits = permits;
        this.cell = cell;
        this.writes = writes;
    }

    /**
     * A guard of the permits the caller just took, held by the task (or {@code blockOn}) polling
     * on this thread, if any.
     *
     * @param lock      the lock, for messages
     * @param semaphore its semaphore
     * @param permits   the permits taken
     * @param cell      the value
     * @param writes    whether {@link #set} is allowed
     * @param <T>       the value's type
     * @return the guard
     */
    static <T> LockGuard<T> held(Object lock, Semaphore semaphore, int permits, Cell<T> cell,
            boolean writes) {
        LockGuard<T> guard = new LockGuard<>(lock, semaphore, permits, cell, writes);
        ThreadContext cx = ThreadContext.current();
        ResourceHolder holder = cx != null ? cx.holder() : null;
        if (holder != null) {
            holder.hold(guard);
        }
        return guard;
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
        if (!UNLOCKED.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("this guard of " + lock + " was unlocked already");
        }
        // The holder's list is its poller's: let go only from inside the holder's own poll. A
        // guard unlocked elsewhere stays listed, unlocked, until its holder ends.
        ResourceHolder holder = heldBy();
        if (holder != null) {
            ThreadContext cx = ThreadContext.current();
            if (cx != null && cx.holder() == holder) {
                holder.letGo(this);
            }
        }
        semaphore.release(permits);
    }

    @Override
    protected void release() {
        if (UNLOCKED.compareAndSet(this, 0, 1)) {
            semaphore.release(permits);
        }
    }

    @Override
    protected boolean keptOnNormalEnd() {
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
