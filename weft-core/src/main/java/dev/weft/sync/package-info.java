/**
 * Synchronization primitives the task and scheduler packages share, too small to be a concern of
 * either: the spin lock of the task registry's shards and of the global run queue.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A lock's acquiring CAS pairs with the releasing store of the previous holder: what one
 *       holder wrote under the lock, the next one sees.</li>
 *   <li>A waiting acquirer spins, then yields its core from time to time: a holder preempted on a
 *       machine with few cores gets to run and release.</li>
 * </ul>
 */
package dev.weft.sync;
