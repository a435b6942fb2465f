package dev.weft;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * An asynchronous computation that a runtime drives by polling.
 *
 * <p>{@link #poll(Context)} either returns {@link Poll#ready(Object) ready} with the result or
 * {@link Poll#pending() pending}. A future that returns pending must have arranged for
 * {@code cx.waker()} to be woken when it can make progress; the runtime then polls it again.
 * Only the waker passed to the most recent poll needs to be woken.
 *
 * <p>A poll may throw: the task that drives the future then fails with that exception (see
 * {@link JoinHandle} for how failures reach the code that awaits the task).
 *
 * <p>A future is polled by one thread at a time, and a runtime never polls it again after it
 * returned ready; it need not be thread-safe.
 *
 * @param <T> the type of the result
 */
@FunctionalInterface
public interface Future<T> {

    /**
     * Attempts to make progress.
     *
     * @param cx the context of the task driving this future; its waker schedules the task again
     * @return ready with the result, or pending after arranging for {@code cx.waker()} to be woken
     */
    Poll<T> poll(Context cx);

    /**
     * Returns a future that completes with {@code fn} applied to this future's result.
     *
     * @param fn  the function applied to the result, on the thread that polls the returned future
     * @param <U> the type of the mapped result
     * @return the mapped future
     */
    default <U> Future<U> map(Function<? super T, ? extends U> fn) {
        Objects.requireNonNull(fn, "fn");
        return new MapFuture<>(this, fn);
    }

    /**
     * Returns a future that, once this one completes, runs the future returned by {@code fn}
     * and completes with its result (a flat map, like {@code CompletableFuture.thenCompose}).
     *
     * @param fn  the function that turns this future's result into the next future
     * @param <U> the type of the next future's result
     * @return a future of the next future's result
     */
    default <U> Future<U> then(Function<? super T, ? extends Future<U>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new ThenFuture<>(this, fn);
    }

    /**
     * Returns a future that completes like this one, except that when this one throws, it
     * completes with {@code fn} applied to the exception instead.
     *
     * @param fn the function that maps the exception to a result; it may itself throw
     * @return the recovering future
     */
    default Future<T> recover(Function<? super Throwable, ? extends T> fn) {
        Objects.requireNonNull(fn, "fn");
        return new RecoverFuture<>(this, fn);
    }

    /**
     * Returns a future that completes like this one if it completes within {@code limit}, and
     * fails with {@link DeadlineExceededException} otherwise: {@code Async.timeout(limit, this)}.
     *
     * @param limit zero or more, counted from this call
     * @return the future with a timeout
     * @throws IllegalArgumentException if negative
     */
    default Future<T> timeout(Duration limit) {
        return Async.timeout(limit, this);
    }
}
