package dev.weft;

/**
 * The ExecutorService contract on the current-thread runtime's view. Its commands run only while
 * a thread drives the runtime: here a driver thread of the test's own, inside {@code blockOn},
 * until the runtime terminates; the test calls the view from other threads, as the guide says to.
 */
class CurrentThreadExecutorServiceTest extends ExecutorServiceContract {

    private Thread driver;

    @Override
    AsyncRuntime start() {
        AsyncRuntime built = AsyncRuntime.currentThread().build();
        driver = Await.thread("driver", () -> {
            try {
                // Drives the runtime's tasks until it terminates.
                built.blockOn(cx -> Poll.pending());
            } catch (TaskCancelledException terminated) {
                // the runtime was shut down: the drive is over
            }
        });
        return built;
    }

    @Override
    int parallelism() {
        return 1;
    }

    @Override
    void stopped() {
        Await.join(driver); // it leaves blockOn once the runtime terminates
    }
}
