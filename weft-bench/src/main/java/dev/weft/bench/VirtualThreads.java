package dev.weft.bench;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Virtual threads, reached by reflection: the benchmarks are compiled for Java 17. */
final class VirtualThreads {

    private VirtualThreads() {
    }

    /**
     * Returns {@code Executors.newVirtualThreadPerTaskExecutor()}.
     *
     * @return the executor
     * @throws UnsupportedOperationException on a JDK before 21, naming the running version
     */
    static ExecutorService newExecutor() throws ReflectiveOperationException {
        Method factory;
        try {
            factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or later; this is "
                    + Runtime.version()
                    + ": run the other schedulers with -p scheduler=weft,forkJoin,threadPool", e);
        }
        return (ExecutorService) factory.invoke(null);
    }

    /**
     * Starts a virtual thread, {@code Thread.ofVirtual().start(task)}.
     *
     * @param task what it runs
     * @return the started thread
     * @throws UnsupportedOperationException on a JDK before 21
     */
    static Thread start(Runnable task) throws ReflectiveOperationException {
        Method startVirtualThread;
        try {
            startVirtualThread = Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException e) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or later; this is "
                    + Runtime.version(), e);
        }
        return (Thread) startVirtualThread.invoke(null, task);
    }
}
