/**
 * Low-level concurrency building blocks that the task and scheduler packages share and that are
 * no concern of either: the {@link dev.weft.concurrent.SpinLock} of the task registry's shards and
 * of the global run queue. Internal: not exported.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A lock's acquiring CAS pairs with the releasing store of the previous holder: what one
 *       holder wrote under the lock, the next one sees.</li>
 *   <li>A waiting acquirer spins, and after every {@code SPINS_BEFORE_NAP} failed attempts parks
 *       for the shortest timed park instead of yielding: a holder preempted on a machine with
 *       few cores gets its core back at once, where a yield would hand the core back only at the
 *       end of the holder's time slice.</li>
 * </ul>
 */
package dev.weft.concurrent;
