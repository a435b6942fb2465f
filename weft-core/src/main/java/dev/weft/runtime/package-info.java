/**
 * The seam between the public API and the schedulers: {@link dev.weft.runtime.RuntimeCore}, the
 * runtime as {@code dev.weft.AsyncRuntime} and {@code dev.weft.Async} see it, with the validated
 * options it is built from ({@link dev.weft.runtime.RuntimeConfig}); and the one per-thread
 * context ({@link dev.weft.runtime.ThreadContext}) where a thread that drives a runtime finds the
 * runtime, its timer wheel, and the holder of what the poll in progress acquires. Internal: not
 * exported.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Dependencies point one way: the facade ({@code dev.weft}) knows this package and the
 *       schedulers; the schedulers ({@code dev.weft.sched}) know this package and never the
 *       facade; this package knows the task and timer packages below it and nothing above. The
 *       build checks it ({@code DependencyRulesTest}).</li>
 *   <li>A thread has at most one context at a time: a worker's for its whole life, or the one it
 *       entered for a drive, until it exits.</li>
 *   <li>A context is touched by its own thread only, but for its final fields.</li>
 * </ul>
 */
package dev.weft.runtime;
