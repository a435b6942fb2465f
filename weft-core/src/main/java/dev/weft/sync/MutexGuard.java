package dev.weft.sync;

import dev.weft.runtime.ThreadContext;
import dev.weft.task.ResourceHolder;
import dev.weft.task.TaskResource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link Mutex}'s guard. It is a resource of the task (or {@code blockOn}) whose poll took the
 * lock: if that holder fails or is aborted with the guard still locked, {@link #release()}
 * unlocks it; a holder that ends with a value only lets go of it (see
 * {@link TaskResource#keptOnNormalEnd()}). {@code unlocked} goes from 0 to 1 once, by CAS, so an
 * unlock and that release never both give the permit back.
 *
 * @param <T> the guarded value
 */
final class MutexGuard<T> extends TaskResource implements Mutex.Guard<T> {

    private static final VarHandle UNLOCKED;

    static {
        try {
            UNLOCKED = MethodHandles.lookup().findVarHandle(MutexGuard.class, "unlocked",
                    int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Mutex<T> mutex;
    /** 0 while locked, 1 once unlocked. */
    private volatile int unlocked;

    private MutexGuard(Mutex<T> mutex) {
        this.mutex = mutex;
    }

    /**
     * A guard of the lock the caller just took, held by the task (or {@code blockOn}) polling on
     * this thread, if any.
     */
    static <T> MutexGuard<T> held(Mutex<T> mutex) {
        MutexGuard<T> guard = new MutexGuard<>(mutex);
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
        return mutex.value;
    }

    @Override
    public void set(T value) {
        checkLocked();
        mutex.value = value;
    }

    @Override
    public void unlock() {
        if (!UNLOCKED.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("this guard of " + mutex + " was unlocked already");
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
        mutex.semaphore.release(1);
    }

    @Override
    protected void release() {
        if (UNLOCKED.compareAndSet(this, 0, 1)) {
            mutex.semaphore.release(1);
        }
    }

    @Override
    protected boolean keptOnNormalEnd() {
        return true;
    }

    private void checkLocked() {
        if (unlocked != 0) {
            throw new IllegalStateException("this guard of " + mutex + " was unlocked");
        }
    }

    @Override
    public String toString() {
        return "Guard[" + (unlocked != 0 ? "unlocked" : "locked") + " of " + mutex + "]";
    }
}
