package dev.weft;

import dev.weft.runtime.RuntimeCore;
import dev.weft.runtime.ThreadContext;
import dev.weft.time.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Static helpers that make and combine futures, and reach the runtime the calling task runs on.
 *
 * <pre>{@code
 * try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
 *     JoinHandle<Integer> a = rt.spawn(Async.ready(1));
 *     JoinHandle<Integer> b = rt.spawn(Async.ready(2));
 *     int total = rt.blockOn(Async.join(a, b).map(p -> p.first() + p.second()));
 * }
 * }</pre>
 */
public final class Async {

    private Async() {
    }

    /**
     * Returns a future that is ready at once with {@code value}.
     *
     * @param value the value, possibly null
     * @param <T>   its type
     * @return the ready future
     */
    public static <T> Future<T> ready(T value) {
        Poll<T> poll = Poll.ready(value);
        return cx -> poll;
    }

    /**
     * Returns a future that is pending once, after waking its task, and then ready: the task goes
     * to the back of its run queue, so every other ready task of its priority runs first.
     *
     * @return a future of nothing
     */
    public static Future<Void> yieldNow() {
        return new YieldNow();
    }

    /**
     * Returns a future of both results. It polls both futures concurrently (on the awaiting task)
     * and fails as soon as either fails; the other is then dropped, not aborted.
     *
     * @param first  the first future
     * @param second the second future
     * @param <A>    the first result's type
     * @param <B>    the second result's type
     * @return a future of the pair of results
     */
    public static <A, B> Future<Pair<A, B>> join(Future<A> first, Future<B> second) {
        return new JoinFuture<>(Objects.requireNonNull(first, "first"),
                Objects.requireNonNull(second, "second"));
    }

    /**
     * Returns a future of all results, in the order of the list. It fails as soon as one future
     * fails; the others are then dropped, not aborted. Awaiting n futures costs O(n) polls in
     * all: each is polled again only when it woke.
     *
     * @param futures the futures; the list is copied
     * @param <T>     the results' type
     * @return a future of the results
     */
    public static <T> Future<List<T>> joinAll(List<? extends Future<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        @SuppressWarnings("unchecked")
        Future<? extends T>[] copy = (Future<? extends T>[]) futures.toArray(new Future<?>[0]);
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new NullPointerException("futures[" + i + "] is null");
            }
        }
        return new JoinAllFuture<>(copy);
    }

    /**
     * Returns a future of whichever future completes first, polling {@code first} before
     * {@code second} (so {@code first} wins a tie). The loser is dropped: aborted if it is a
     * task's {@link JoinHandle}, its timer removed at once if it is a sleep or a timeout (also
     * inside {@code map}, {@code then} or {@code recover}). If a future fails first, the select
     * fails, and the other is dropped the same way.
     *
     * @param first  the first future
     * @param second the second future
     * @param <A>    the first result's type
     * @param <B>    the second result's type
     * @return a future of the winner's result
     */
    public static <A, B> Future<Either<A, B>> select(Future<A> first, Future<B> second) {
        return new SelectFuture<>(Objects.requireNonNull(first, "first"),
                Objects.requireNonNull(second, "second"));
    }

    /**
     * Returns a future of a {@link CompletionStage}'s result, such as a
     * {@link java.util.concurrent.CompletableFuture}. A stage that fails makes the future throw its
     * exception, unwrapped from {@link java.util.concurrent.CompletionException}: unchecked ones
     * as they are, checked ones wrapped in {@link TaskFailedException}.
     *
     * @param stage the stage
     * @param <T>   the result's type
     * @return a future of the stage's result
     */
    public static <T> Future<T> fromCompletionStage(CompletionStage<T> stage) {
        return new CompletionStageFuture<>(Objects.requireNonNull(stage, "stage"));
    }

    /**
     * Returns a future that completes (with null) once {@code duration} has passed since this
     * call, on the clock of the runtime that polls it: never earlier. The timer is armed on the
     * first poll, on the polling worker's own timing wheel (1 ms resolution: a deadline is
     * rounded up to the next millisecond), and leaves the runtime as soon as the sleep completes
     * or its task ends. It may be created on any thread; it must be polled by a task of a Weft
     * runtime or by the future given to {@code blockOn}.
     *
     * @param duration zero or more
     * @return a future of nothing
     * @throws IllegalArgumentException if negative
     */
    public static Future<Void> sleep(Duration duration) {
        return Sleep.after(AsyncRuntime.Builder.nonNegative("sleep duration", duration));
    }

    /**
     * Returns a future that completes (with null) once the runtime's clock reads
     * {@code deadline} or later ({@link dev.weft.time.Clock#instant()}); at once if it has passed.
     *
     * @param deadline the instant
     * @return a future of nothing
     */
    public static Future<Void> sleepUntil(Instant deadline) {
        return Sleep.until(Objects.requireNonNull(deadline, "deadline"));
    }

    /**
     * Returns a future that completes like {@code future} if it completes within {@code limit}
     * of this call, and fails with {@link DeadlineExceededException} otherwise. The future is
     * polled first, so one that completes in the same poll as the deadline wins. On expiry it is
     * dropped: aborted if it is a task's {@link JoinHandle}, as {@link #select} treats its loser.
     * The timer is armed only while the future is pending and removed as soon as it completes:
     * a timeout that is not needed holds nothing.
     *
     * @param limit  zero or more
     * @param future the future
     * @param <T>    its result's type
     * @return a future of its result
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public static <T> Future<T> timeout(Duration limit, Future<T> future) {
        return new Timeout<>(AsyncRuntime.Builder.nonNegative("timeout", limit),
                Objects.requireNonNull(future, "future"));
    }

    /**
     * Returns an interval that ticks every {@code period} from now: tick k is due at
     * now + k x period, the first at once, whatever the lateness of the ticks before it (see
     * {@link Interval} and {@link dev.weft.time.MissedTickBehavior}).
     *
     * @param period more than zero
     * @return the interval
     * @throws IllegalArgumentException if zero or negative
     */
    public static Interval interval(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("interval period must be more than zero, was "
                    + period);
        }
        return new IntervalTimer(period);
    }

    /**
     * Spawns a task on the runtime of the calling task (or of the calling {@code blockOn}).
     *
     * @param future the task's future
     * @param <T>    the result's type
     * @return the task's handle
     * @throws IllegalStateException if the calling thread is not running a Weft runtime
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is shutting down
     */
    public static <T> JoinHandle<T> spawn(Future<T> future) {
        return spawn(AsyncRuntime.DEFAULT_OPTIONS, future);
    }

    /**
     * Spawns a task with options on the runtime of the calling task.
     *
     * @param options priority, deadline and name
     * @param future  the task's future
     * @param <T>     the result's type
     * @return the task's handle
     * @throws IllegalStateException if the calling thread is not running a Weft runtime
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is shutting down
     */
    public static <T> JoinHandle<T> spawn(TaskOptions options, Future<T> future) {
        return currentCore().spawn(options, future);
    }

    /**
     * Returns the runtime the calling thread is running: the runtime of the task being polled,
     * or the runtime whose {@code blockOn} is driving the calling thread. The handle returned is
     * {@linkplain AsyncRuntime#equals equal} to the one {@code build()} returned for that runtime,
     * though not always the same object.
     *
     * @return the current runtime
     * @throws IllegalStateException if the calling thread is not running a Weft runtime
     */
    public static AsyncRuntime current() {
        return new AsyncRuntime(currentCore());
    }

    private static RuntimeCore currentCore() {
        ThreadContext cx = ThreadContext.current();
        if (cx == null) {
            throw new IllegalStateException("no Weft runtime on thread '"
                    + Thread.currentThread().getName()
                    + "': Async.current() and Async.spawn() work inside a task or inside blockOn");
        }
        return cx.runtime();
    }

    /**
     * The results of {@link #join}.
     *
     * @param first  the first future's result
     * @param second the second future's result
     * @param <A>    the first result's type
     * @param <B>    the second result's type
     */
    public record Pair<A, B>(A first, B second) {
    }

    /**
     * The result of {@link #select}: the winner's result, and which future won.
     *
     * @param <A> the first future's result type
     * @param <B> the second future's result type
     */
    public static final class Either<A, B> {
        private final boolean isFirst;
        private final Object value;

        private Either(boolean isFirst, Object value) {
            this.isFirst = isFirst;
            this.value = value;
        }

        static <A, B> Either<A, B> ofFirst(A value) {
            return new Either<>(true, value);
        }

        static <A, B> Either<A, B> ofSecond(B value) {
            return new Either<>(false, value);
        }

        /**
         * Tells whether the first future won.
         *
         * @return true if the first future completed first
         */
        public boolean isFirst() {
            return isFirst;
        }

        /**
         * Tells whether the second future won.
         *
         * @return true if the second future completed first
         */
        public boolean isSecond() {
            return !isFirst;
        }

        /**
         * Returns the first future's result.
         *
         * @return the result
         * @throws NoSuchElementException if the second future won
         */
        @SuppressWarnings("unchecked")
        public A first() {
            if (!isFirst) {
                throw new NoSuchElementException("the second future won the select; call second()");
            }
            return (A) value;
        }

        /**
         * Returns the second future's result.
         *
         * @return the result
         * @throws NoSuchElementException if the first future won
         */
        @SuppressWarnings("unchecked")
        public B second() {
            if (isFirst) {
                throw new NoSuchElementException("the first future won the select; call first()");
            }
            return (B) value;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Either<?, ?> that && isFirst == that.isFirst
                    && Objects.equals(value, that.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(isFirst, value);
        }

        @Override
        public String toString() {
            return (isFirst ? "First(" : "Second(") + value + ")";
        }
    }
}
