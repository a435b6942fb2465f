package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Poll;
import dev.weft.Priority;
import dev.weft.TaskCancelledException;
import dev.weft.TaskOptions;
import dev.weft.Waker;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The README's examples, as written there, so that they keep compiling and keep being true. */
class ReadmeExamplesTest {

    @Test
    void aRuntimeATaskAResult() {
        int value;
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            JoinHandle<Integer> answer = runtime.spawn(Async.ready(41).map(x -> x + 1));
            value = runtime.blockOn(answer);
        }
        assertThat(value).isEqualTo(42);
    }

    static final class Gate implements Future<Void> {
        private final AtomicBoolean open = new AtomicBoolean();
        private final AtomicReference<Waker> waker = new AtomicReference<>();

        void open() {
            open.set(true);
            Waker w = waker.get();
            if (w != null) {
                w.wake();
            }
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (open.get()) {
                return Poll.ready(null);
            }
            waker.set(cx.waker());
            return open.get() ? Poll.ready(null) : Poll.pending();
        }
    }

    @Test
    void spawningAwaitingAborting() {
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            Gate gate = new Gate();
            JoinHandle<String> h = runtime.spawn(TaskOptions.priority(Priority.HIGH).name("fetch"), gate.map(v -> "opened"));
            assertThat(h.isDone()).isFalse();
            assertThat(h.abort()).isTrue();
            assertThat(h.toCompletableFuture().isCancelled()).isTrue();
            assertThatThrownBy(h::join).isInstanceOf(TaskCancelledException.class).hasMessageContaining("task 'fetch'");

            Gate other = new Gate();
            JoinHandle<String> opened = runtime.spawn(other.map(v -> "opened"));
            Thread opener = new Thread(other::open);
            opener.start();
            assertThat(opened.join()).isEqualTo("opened");
        }
    }

    @Test
    void failuresRecover() {
        try (AsyncRuntime runtime = AsyncRuntime.currentThread().build()) {
            Future<Integer> riskyFuture = cx -> {
                throw new IllegalStateException("no luck");
            };
            int n = runtime.blockOn(riskyFuture.recover(e -> -1));
            assertThat(n).isEqualTo(-1);
        }
    }
}
