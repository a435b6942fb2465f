/**
 * Schedulers: the runtimes that run tasks, and what they share. Implements seed sections
 * 3.2.4.1.2 (lifecycle, {@link dev.weft.sched.RuntimeLifecycle}) and 3.2.4.3.2 (the single-thread
 * executor, {@link dev.weft.sched.CurrentThreadRuntime}).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Idle threads park ({@link dev.weft.sched.Parker}): no sleep loop, no spinning, no polling
 *       on a fixed interval. Every park can be bounded by a timeout, for timers to come.</li>
 *   <li>Ready tasks of equal priority run in FIFO order per queue; a task that yields goes to the
 *       back, so every ready task makes progress.</li>
 *   <li>A spawn racing a shutdown is either refused or seen by the shutdown: never lost.</li>
 *   <li>After shutdown returns, no task of the runtime is polled again.</li>
 *   <li>Statistics are counted in plain fields by the thread that owns them and published in
 *       batches: no shared atomic on the hot path.</li>
 * </ul>
 */
package dev.weft.sched;
