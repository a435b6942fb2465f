package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.buffer.BufferPool;
import dev.weft.buffer.PooledBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The runtime's own buffer pool: one per runtime, in its metrics, closed at shutdown unless the
 * caller gave it; and the idle cleanup, which gives back what it retains once nothing needs it.
 */
class RuntimeBuffersTest {

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void theRuntimesPool_isOne_isInItsMetrics_andIsClosedAtShutdown(RuntimeKind kind) {
        AsyncRuntime runtime = kind.build();
        BufferPool pool = runtime.buffers();
        assertThat(runtime.buffers()).isSameAs(pool);

        PooledBuffer held = runtime.blockOn(cx -> Poll.ready(Async.current().buffers()
                .acquire(100)));
        assertThat(runtime.metrics().buffers().inUse()).isOne();
        assertThat(runtime.metrics().buffers().allocatedBytes()).isEqualTo(held.capacity());

        runtime.close();
        assertThatThrownBy(() -> pool.acquire(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the buffer pool is closed");
        held.release(); // a buffer still held may be released after: it goes to the JVM
        assertThat(pool.stats().inUse()).isZero();
        assertThat(pool.stats().allocatedBytes()).isZero();
    }

    /**
     * The buffers of tasks the shutdown cancels are released on the thread that cancels them (the
     * caller of shutdown, or a worker): after shutdown, the runtime's pool holds none of them.
     */
    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void buffersOfTasksTheShutdownCancelled_areNotKeptByThePool(RuntimeKind kind) {
        AsyncRuntime runtime = kind.build();
        BufferPool pool = runtime.buffers();
        for (int i = 0; i < 3; i++) {
            runtime.spawn(pool.withBuffer(4096, b -> Async.sleep(Duration.ofHours(1))));
        }
        if (kind == RuntimeKind.CURRENT_THREAD) {
            runtime.runUntilStalled(); // the tasks run, take their buffers, and wait
        }
        Await.until("the tasks to hold their buffers", () -> pool.stats().inUse() == 3);

        assertThat(runtime.shutdown(Duration.ZERO)).as("tasks were cancelled").isFalse();
        BufferPool.Stats after = pool.stats();
        assertThat(after.inUse()).isZero();
        assertThat(after.retainedBytes()).isZero();
        assertThat(after.allocatedBytes()).isZero();
    }

    @Test
    void aPoolTheBuilderWasGiven_isUsed_andLeftOpen() {
        BufferPool mine = BufferPool.builder().direct(false).build();
        try (AsyncRuntime runtime = AsyncRuntime.builder().workerThreads(1).buffers(mine)
                .build()) {
            assertThat(runtime.buffers()).isSameAs(mine);
        }
        mine.acquire(10).release(); // still open
        mine.close();
    }

    @Test
    void aRuntimeShutDownFirst_givesAClosedPool() {
        AsyncRuntime runtime = AsyncRuntime.currentThread().build();
        runtime.close();
        assertThatThrownBy(() -> runtime.buffers().acquire(1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badOptions_areRefusedNamingThem() {
        assertThatThrownBy(() -> AsyncRuntime.builder().cleanupThreshold(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cleanupThreshold must be 1 or more, was 0");
        assertThatThrownBy(() -> AsyncRuntime.builder().buffers(null))
                .isInstanceOf(NullPointerException.class).hasMessage("buffers");
    }

    /**
     * A runtime left idle gives back the free buffers its pool keeps: its threads, parked with
     * nothing to do, wake for the cleanup's passes (about a second apart, on the real clock) until
     * nothing is left. The wait is for that condition, bounded as every wait of the tests is.
     */
    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void anIdleRuntime_givesItsRetainedBuffersBack(RuntimeKind kind) throws Exception {
        try (AsyncRuntime runtime = kind.build()) {
            BufferPool pool = runtime.buffers();
            EndedThreads.leaveInACache(pool, 50, 4096);
            assertThat(pool.stats().retainedBytes()).isEqualTo(50L * 4096);
            // some work, after which the runtime's threads idle: a pass runs on the way to
            // parking (threads parked since before the pool was used sleep on until woken)
            runtime.spawn(Async.ready(null)).join();

            CompletableFuture<Void> emptied = new CompletableFuture<>();
            Thread watcher = new Thread(() -> {
                Await.until("the runtime's pool to retain nothing",
                        () -> pool.stats().retainedBytes() == 0);
                emptied.complete(null);
            });
            watcher.start();
            // a current-thread runtime's threads are its driver's: it idles inside blockOn
            runtime.blockOn(Async.fromCompletionStage(emptied));
            watcher.join();
            assertThat(pool.stats().allocatedBytes()).isZero();
        }
    }
}
