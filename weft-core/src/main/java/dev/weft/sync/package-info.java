/**
 * Coordination between tasks (Tokio's {@code sync}, kotlinx's channels and mutex): waiting
 * without blocking a thread. {@link dev.weft.sync.Semaphore} is the base, a fair counting
 * semaphore after Tokio's batch semaphore; {@link dev.weft.sync.Mutex} holds the value it guards
 * behind one permit of it, {@link dev.weft.sync.RwLock} behind all of them for a writer;
 * {@link dev.weft.sync.Channel} passes messages, {@link dev.weft.sync.Oneshot} one value,
 * {@link dev.weft.sync.Broadcast} every message to every receiver, {@link dev.weft.sync.Watch}
 * the latest value;
 * {@link dev.weft.sync.Notify} wakes waiters, {@link dev.weft.sync.Barrier} lines tasks up, and
 * {@link dev.weft.sync.CancellationToken} asks work to stop.
 *
 * <p>Each primitive's waiting futures are the nodes of its {@code WaitQueue}, an intrusive FIFO
 * guarded by the primitive's own short spin lock; waking happens after that lock is let go.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Waiters are served in the order they started waiting (FIFO), whatever each asks for: a
 *       later, smaller request never overtakes an earlier one.</li>
 *   <li>While anyone waits, nothing is free: what is given back goes to the waiters first.</li>
 *   <li>A waiting future dropped before it completed (its task aborted, a {@code select} it lost,
 *       a timeout that expired) leaves the queue at once, and whatever it had been handed and not
 *       yet passed to its caller goes to the next waiters: nothing is lost, nothing stays held by a
 *       task that is gone, and the queue does not grow with abandoned waiters.</li>
 *   <li>What {@code withLock}, {@code withRead}, {@code withWrite} or {@code withPermits} took
 *       is given back when its body's future completes, fails or is dropped: a task that is gone
 *       holds none of it. A guard from {@code lock()}, or permits from {@code acquire}, are
 *       their holder's to give back.</li>
 *   <li>No lost wakeup: a waiter is granted under the lock that queued it, and woken after it.</li>
 * </ul>
 * Every operation may be called from any thread; the futures are polled by tasks (or
 * {@code blockOn}), one at a time each.
 */
package dev.weft.sync;
