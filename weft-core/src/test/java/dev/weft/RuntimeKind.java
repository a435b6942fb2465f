package dev.weft;

import java.util.function.Supplier;

/** The two runtimes, for tests that run on each: {@code @EnumSource(RuntimeKind.class)}. */
public enum RuntimeKind {
    MULTI_THREAD(() -> AsyncRuntime.builder().workerThreads(2).build()),
    CURRENT_THREAD(() -> AsyncRuntime.currentThread().build());

    private final Supplier<AsyncRuntime> build;

    RuntimeKind(Supplier<AsyncRuntime> build) {
        this.build = build;
    }

    /** Builds a runtime of this kind with the default options (2 workers for multi-thread). */
    public AsyncRuntime build() {
        return build.get();
    }
}
