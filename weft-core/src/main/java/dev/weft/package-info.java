/**
 * Weft's public surface: futures and how they are polled ({@link dev.weft.Future},
 * {@link dev.weft.Poll}, {@link dev.weft.Context}, {@link dev.weft.Waker}), runtimes that run them
 * as tasks ({@link dev.weft.AsyncRuntime}, {@link dev.weft.JoinHandle},
 * {@link dev.weft.TaskOptions}), and helpers to make and combine futures ({@link dev.weft.Async}).
 * The futures {@code Async} makes (combinators, timers) are package-private classes here; the
 * runtime behind {@code AsyncRuntime} is reached through one seam, {@code dev.weft.runtime}.
 *
 * <h2>The poll model</h2>
 * A future is a state machine that a runtime polls. A poll returns ready with the result, or
 * pending after arranging for the context's waker to be woken when progress is possible; the
 * runtime then polls it again. Nothing blocks: a task that waits holds no thread.
 *
 * <h2>Guarantees</h2>
 * <ol>
 *   <li>A task is never polled by two threads at once.</li>
 *   <li>A wake that arrives while a task is being polled makes it polled again; any number of
 *       wakes before its next poll schedule it once.</li>
 *   <li>A wake after a task completed or was aborted does nothing.</li>
 *   <li>Failures reach whoever awaits a task: unchecked exceptions as they are, checked ones
 *       wrapped in {@link dev.weft.TaskFailedException}, cancellation as
 *       {@link dev.weft.TaskCancelledException}.</li>
 * </ol>
 */
package dev.weft;
