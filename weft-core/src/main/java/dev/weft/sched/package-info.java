/**
 * Schedulers: the runtimes that run tasks, and what they share. Implements seed sections
 * 3.2.4.1.2 (lifecycle, {@link dev.weft.sched.RuntimeLifecycle}), 3.2.4.2.1 and 3.2.4.3.1 (the
 * work-stealing multi-thread runtime, {@link dev.weft.sched.MultiThreadRuntime}: workers, their
 * local queues with a LIFO slot, the global inject queue, idle coordination) and 3.2.4.3.2 (the
 * single-thread executor, {@link dev.weft.sched.CurrentThreadRuntime}), and 3.2.4.2.2 (priority
 * scheduling: {@link dev.weft.sched.Rank}, per-priority queues in both runtimes, the
 * earliest-deadline {@link dev.weft.sched.DeadlineQueue}, starvation prevention by one policy,
 * {@link dev.weft.sched.Aging}). Both implement {@code dev.weft.runtime.RuntimeCore}, the seam
 * the public facade calls; neither knows the facade.
 * {@link dev.weft.sched.RuntimeBase} holds what both share: spawn admission, the task counts
 * ({@link dev.weft.sched.TaskCounters}), the registry of waiting tasks, {@code spawnBlocking}'s
 * elastic pool, the {@code ExecutorService} view, the shutdown sequence, and the runtime's buffer
 * pool with its idle cleanup ({@link dev.weft.sched.IdleCleanup}, seed 3.2.4.5.2).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Idle threads park ({@link dev.weft.sched.Parker}): no sleep loop, no spinning, no polling
 *       on a fixed interval. A thread with timers pending parks no longer than its next one, and
 *       fires its due timers before it parks and, while busy, every 61 ticks
 *       ({@code dev.weft.time.driver}); one without parks until woken, or, while the idle cleanup
       finds buffers to give back, until its next pass (at most one a second, in bounded
       batches that stop once work arrives).</li>
 *   <li>Ready tasks of equal priority run in FIFO order per queue; a task that yields goes to the
 *       back, so every ready task makes progress.</li>
 *   <li>With priority scheduling, a runtime never runs a task while one of a lower rank (more
 *       urgent) waits in a queue it looks at before each task: the current-thread runtime's one
 *       queue; a worker's own queues and the global queue. A LIFO-slot task never passes one of
 *       another rank; thieves steal the most urgent level first.</li>
 *   <li>Starvation prevention costs O(1) per task: only the oldest task of each rank is ever
 *       compared with the threshold, and only while two ranks wait. A starved task takes at most
 *       every other turn. Stamps may be early (a cached clock), never late. Every stamp and
 *       deadline check reads the runtime's clock: on a manual clock, tasks age only when it
 *       moves.</li>
 *   <li>A spawn racing a shutdown is either refused or seen by the shutdown: never lost. A task
 *       racing a forced shutdown is cancelled: either the shutdown finds it (in a queue, or in the
 *       registry of waiting tasks), or a thread that takes it or starts it waiting sees the
 *       shutdown and cancels it.</li>
 *   <li>No worker sleeps while a task it could take waits: a producer publishes, fences and
 *       wakes a sleeper if nobody searches; a parking worker counts itself parked, fences and
 *       looks again (every queue if it was the last searcher, the global queue otherwise).</li>
 *   <li>A task is in at most one queue or LIFO slot at a time, and is never polled by two
 *       workers at once (the task's state word, {@code dev.weft.task}).</li>
 *   <li>Every worker looks at the global queue at least every 61 ticks, and runs at most 3 LIFO
 *       tasks in a row: injected and queued tasks are never starved by local work.</li>
 *   <li>An exception thrown by a task ends that task only, never its worker.</li>
 *   <li>After shutdown returns, no task of the runtime is polled again.</li>
 *   <li>Statistics are counted in plain fields by the thread that owns them and published in
 *       batches; task counts are written by the worker that spawns or ends the task, to counts
 *       of its own. No shared atomic or lock on the paths of spawning, waking and polling on a
 *       worker: a task enters the registry only the first time it waits.</li>
 * </ul>
 */
package dev.weft.sched;
