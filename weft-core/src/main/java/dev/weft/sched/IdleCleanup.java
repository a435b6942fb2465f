package dev.weft.sched;

import dev.weft.buffer.BufferPool;
import dev.weft.time.Clock;
import dev.weft.time.ManualClock;
import dev.weft.time.driver.Nanos;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The cleanup a runtime owes (seed 3.2.4.5.2, its collector's batches): the free buffers of its
 * pool that nothing needed for a while given back to the JVM, and the caches of threads that
 * ended taken back ({@link BufferPool#trim}). A thread of the runtime with nothing else to do runs
 * a pass, at most once per {@link #INTERVAL_NANOS} of the runtime's clock, in batches of at most
 * {@code threshold} buffers (the seed's gc threshold) with a look for work between batches:
 * never on a task's path, and never long once work arrives.
 *
 * <p>A thread that idles between two passes parks no longer than the next is due; one that ran
 * a pass does so only if the pass found something to do (buffers freed, or the pool used since
 * the pass before). So a runtime gone idle gives its buffers back within about three intervals,
 * then sleeps until woken; on a manual clock, which real time does not move, a pass waits for an
 * idle moment after the clock moved. Buffers given back by threads outside the runtime after its
 * threads went to sleep wait for the next idle moment.
 *
 * <h2>Threads</h2>
 * Any number of threads may call {@link #runIfDue}; the one whose CAS moves {@code nextDue} from
 * a due time to {@link Nanos#FOREVER} runs the pass, and sets the next due time at its end: so
 * passes never overlap, and each sees what the one before wrote ({@code servedBefore}).
 */
final class IdleCleanup {

    /** The runtime's clock time between two passes. */
    static final long INTERVAL_NANOS = 1_000_000_000L;

    private static final VarHandle NEXT_DUE;

    static {
        try {
            NEXT_DUE = MethodHandles.lookup().findVarHandle(IdleCleanup.class, "nextDue",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Clock clock;
    private final boolean manual;
    /** The most buffers one batch frees. */
    private final int threshold;
    /** When the next pass is due, on the clock; {@link Nanos#FOREVER} while one runs. */
    private volatile long nextDue;
    /**
     * Whether the last pass asked for another; written by the thread that ran it, before the
     * write of {@code nextDue} that ends the pass, which publishes it with servedBefore.
     */
    private boolean owed;
    /** Acquisitions the pool had served at the last pass; owned by the pass in progress. */
    private long servedBefore;

    IdleCleanup(Clock clock, int threshold) {
        this.clock = clock;
        this.manual = clock instanceof ManualClock;
        this.threshold = threshold;
        this.nextDue = clock.nanoTime();
    }

    /**
     * Runs a pass over {@code pool} if one is due and no other thread runs it; the caller has
     * nothing else to do.
     *
     * @param pool        the runtime's pool, or null if it has none yet (nothing is owed)
     * @param workArrived tells whether work arrived, to stop between batches
     * @return how long the caller may park before a pass is due: {@link Nanos#FOREVER} if none is
     *         owed, or on a manual clock
     */
    long runIfDue(BufferPool pool, BooleanSupplier workArrived) {
        if (pool == null) {
            return Nanos.FOREVER;
        }
        long due = nextDue;
        if (due == Nanos.FOREVER) {
            return Nanos.FOREVER; // another thread runs a pass, and times the next
        }
        long now = clock.nanoTime();
        if (now - due < 0) {
            // whether the pool was used since the last pass is for that pass to find out (the
            // count takes a lock): a thread idle before it is due wakes for it
            return manual ? Nanos.FOREVER : due - now;
        }
        if (!NEXT_DUE.compareAndSet(this, due, Nanos.FOREVER)) {
            return Nanos.FOREVER; // another thread won: it runs the pass, and times the next
        }
        boolean more = false;
        try {
            BufferPool.Stats stats = pool.stats(); // takes back the caches of threads that ended
            long served = served(stats);
            boolean used = served != servedBefore;
            servedBefore = served;
            int batch = threshold;
            int freed;
            int total = 0;
            do {
                freed = pool.trim(batch); // below the batch: none idle left, an interval begins
                total += freed;
            } while (freed == batch && !workArrived.getAsBoolean());
            more = used || total > 0;
            owed = more;
        } finally {
            // Releases the pass: the next one's CAS reads it, so sees servedBefore and owed.
            nextDue = Nanos.add(clock.nanoTime(), INTERVAL_NANOS);
        }
        return more && !manual ? INTERVAL_NANOS : Nanos.FOREVER;
    }

    /**
     * Tells whether the last pass asked for another: the pool was used since the one before, or
     * it freed buffers.
     *
     * @return true if another pass is owed
     */
    boolean owesAnotherPass() {
        return owed;
    }

    private static long served(BufferPool.Stats s) {
        long served = 0;
        for (BufferPool.SizeClass c : BufferPool.SizeClass.values()) {
            served += s.hits(c) + s.misses(c);
        }
        return served;
    }
}
