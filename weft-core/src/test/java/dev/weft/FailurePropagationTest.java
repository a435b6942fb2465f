package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a task's failure reaches each way of awaiting it (DESIGN.md section 2, "Failures"). */
class FailurePropagationTest {

    private final AsyncRuntime runtime = AsyncRuntime.currentThread().build();
    private final IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
    private final IOException checked = new IOException("checked");

    @AfterEach
    void shutDown() {
        runtime.shutdown(Duration.ZERO);
    }

    private <T> Future<T> throwing(Throwable t) {
        return cx -> {
            throw Sneaky.<RuntimeException>raise(t);
        };
    }

    @Test
    void unchecked_isRethrownAsIs_byJoinBlockOnAndAnAwaitingTask() {
        JoinHandle<Integer> failed = runtime.spawn(throwing(unchecked));
        assertThatThrownBy(() -> runtime.blockOn(failed)).isSameAs(unchecked);
        assertThatThrownBy(failed::join).isSameAs(unchecked);
        JoinHandle<Integer> awaiting = runtime.spawn(failed.map(x -> x + 1));
        assertThatThrownBy(awaiting::join).isSameAs(unchecked);
        assertThatThrownBy(() -> runtime.blockOn(throwing(unchecked))).isSameAs(unchecked);
    }

    @Test
    void checked_isWrappedInTaskFailedException_withTheOriginalAsCause() {
        JoinHandle<Integer> failed = runtime.spawn(TaskOptions.priority(Priority.NORMAL)
                .name("loader"), throwing(checked));
        assertThatThrownBy(failed::join).isInstanceOf(TaskFailedException.class).hasCause(checked)
                .hasMessageContaining("task 'loader'");
        assertThatThrownBy(() -> runtime.blockOn(throwing(checked)))
                .isInstanceOf(TaskFailedException.class)
                .hasCause(checked).hasMessageContaining("blockOn");
    }

    @Test
    void errors_arePropagatedAsIs() {
        StackOverflowError error = new StackOverflowError("deep");
        JoinHandle<Integer> failed = runtime.spawn(throwing(error));
        assertThatThrownBy(failed::join).isSameAs(error);
    }

    @Test
    void completableFutureView_failsWithTheOriginalException() {
        JoinHandle<Integer> failed = runtime.spawn(throwing(checked));
        CompletableFuture<Integer> view = failed.toCompletableFuture();
        runtime.runUntilStalled();
        assertThatThrownBy(view::get).isInstanceOf(ExecutionException.class).hasCause(checked);
        assertThatThrownBy(view::join).isInstanceOf(CompletionException.class).hasCause(checked);
    }

    @Test
    void abortedTask_failsWithTaskCancelledException_everywhere() {
        JoinHandle<Void> task = runtime.spawn(new Latch());
        CompletableFuture<Void> view = task.toCompletableFuture();
        assertThat(task.abort()).isTrue();
        assertThat(task.abort()).isFalse();
        assertThat(task.isDone()).isTrue();
        assertThatThrownBy(task::join).isInstanceOf(TaskCancelledException.class);
        assertThatThrownBy(() -> runtime.blockOn(task)).isInstanceOf(TaskCancelledException.class);
        assertThat(view.isCancelled()).isTrue();
    }

    @Test
    void abortOfACompletedTask_returnsFalseAndKeepsTheResult() {
        JoinHandle<Integer> task = runtime.spawn(Async.ready(3));
        runtime.runUntilStalled();
        assertThat(task.abort()).isFalse();
        assertThat(task.join()).isEqualTo(3);
    }

    @Test
    void cancellingTheCompletableFutureView_abortsTheTask() {
        JoinHandle<Void> task = runtime.spawn(new Latch());
        assertThat(task.toCompletableFuture().cancel(true)).isTrue();
        assertThat(task.isDone()).isTrue();
        assertThatThrownBy(task::join).isInstanceOf(TaskCancelledException.class);
    }

    @Test
    void aWakeAfterAbort_doesNothing() {
        Latch latch = new Latch();
        JoinHandle<Void> task = runtime.spawn(latch);
        runtime.runUntilStalled();
        task.abort();
        latch.open(); // wakes the aborted task
        assertThat(runtime.runUntilStalled()).isZero();
        assertThat(runtime.metrics().polls()).isEqualTo(1);
    }

    /** Throws a checked exception from code that does not declare it, as Kotlin or a proxy can. */
    static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> RuntimeException raise(Throwable t) throws E {
            throw (E) t;
        }
    }
}
