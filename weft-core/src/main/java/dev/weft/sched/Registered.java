package dev.weft.sched;

import dev.weft.AsyncCloseable;
import dev.weft.time.driver.Nanos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The resources registered with a runtime (seed 3.2.4.5.2, cleanup): closed at its shutdown, once
 * its tasks are done, newest first, each once. The closes run on a thread of their own, never on
 * a worker, and the shutdown waits for them only until its deadline: a close that hangs is
 * reported and left to finish on its own (the thread is a daemon), one that throws is reported
 * and the others still close.
 */
final class Registered {

    private static final System.Logger LOGGER = System.getLogger(Registered.class.getName());

    /** Newest first; guarded by this. */
    private final ArrayDeque<AsyncCloseable> resources = new ArrayDeque<>();
    /** Set when the shutdown takes the resources; guarded by this. */
    private boolean closing;
    /** What the closer closes, in order, and its end; set once, guarded by this. */
    private List<AsyncCloseable> pending;
    private CountDownLatch done;
    /** Closes ended so far, for the report of one that did not. */
    private final AtomicInteger closedSoFar = new AtomicInteger();

    /**
     * Adds a resource, to close at shutdown; one already registered stays where it is.
     *
     * @throws RejectedExecutionException if the shutdown is closing the resources already
     */
    synchronized void register(AsyncCloseable resource) {
        if (closing) {
            throw new RejectedExecutionException("register refused: the runtime has closed its "
                    + "resources (it is shut down); close " + resource + " yourself");
        }
        // a scan by identity: resources registered live as long as the runtime, so they are
        // few (an IdentityHashMap made with the runtime made Lincheck's model checking of the
        // shutdown races report a livelock in the worker loop, one that runs do not show)
        for (AsyncCloseable r : resources) {
            if (r == resource) {
                return;
            }
        }
        resources.addFirst(resource);
    }

    /**
     * Starts closing every resource registered, newest first, on a daemon thread named
     * {@code threadName}; does not wait (unless no thread can be started: then it closes them
     * here). Later registrations are refused. Idempotent.
     */
    void startClosing(String threadName) {
        List<AsyncCloseable> toClose;
        CountDownLatch finished = new CountDownLatch(1);
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            toClose = new ArrayList<>(resources);
            resources.clear();
            if (toClose.isEmpty()) {
                return;
            }
            pending = toClose;
            done = finished;
        }
        Runnable closeAll = () -> {
            try {
                for (AsyncCloseable resource : toClose) {
                    try {
                        resource.close();
                    } catch (Throwable failure) {
                        LOGGER.log(System.Logger.Level.ERROR, "closing " + describe(resource)
                                + " at the runtime's shutdown failed; the other resources still "
                                + "close", failure);
                    }
                    closedSoFar.incrementAndGet();
                }
            } finally {
                finished.countDown(); // whatever happened: the shutdown must not wait forever
            }
        };
        try {
            Thread closer = new Thread(closeAll, threadName);
            closer.setDaemon(true);
            closer.start();
        } catch (Throwable noThread) { // OutOfMemoryError: unable to create a native thread
            LOGGER.log(System.Logger.Level.ERROR, "could not start a thread to close the "
                    + "runtime's resources; closing them on this one", noThread);
            closeAll.run();
        }
    }

    /**
     * Waits for the closes {@link #startClosing} began, until {@code deadlineNanos} or an
     * interrupt (whose status is kept); reports the close that did not end in time.
     *
     * @return true if every close ended (threw or not) in time, or there was none
     */
    boolean awaitClosed(long deadlineNanos) {
        CountDownLatch finished;
        List<AsyncCloseable> toClose;
        synchronized (this) {
            finished = done;
            toClose = pending;
        }
        if (finished == null) {
            return true;
        }
        boolean inTime;
        try {
            // FOREVER remains Long.MAX_VALUE nanoseconds: longer than any wait can be
            inTime = finished.await(Nanos.remaining(deadlineNanos, System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inTime = finished.getCount() == 0;
        }
        if (!inTime) {
            int n = Math.min(closedSoFar.get(), toClose.size() - 1);
            LOGGER.log(System.Logger.Level.WARNING, "closing " + describe(toClose.get(n))
                    + " at the runtime's shutdown did not end in time; the shutdown no longer "
                    + "waits for it, nor for the " + (toClose.size() - n - 1)
                    + " resource(s) after it");
        }
        return inTime;
    }

    /**
     * Reports, if anything is registered, that its closes wait for a termination that has not
     * come (a task's poll is stuck): they start when it does.
     */
    void reportWaitingForTermination() {
        int n;
        synchronized (this) {
            n = closing ? 0 : resources.size();
        }
        if (n > 0) {
            LOGGER.log(System.Logger.Level.WARNING, "the runtime did not terminate within its "
                    + "shutdown (a task's poll has not returned): its " + n + " registered "
                    + "resource(s) close when it does");
        }
    }

    /** The resource's {@code toString()}, or its class if that throws. */
    private static String describe(AsyncCloseable resource) {
        try {
            return String.valueOf(resource);
        } catch (Throwable failure) {
            return resource.getClass().getName() + "@"
                    + Integer.toHexString(System.identityHashCode(resource));
        }
    }
}
