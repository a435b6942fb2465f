/**
 * The buffer pool (seed section 3.2.4.5.1): {@link dev.weft.buffer.BufferPool} hands out
 * {@link dev.weft.buffer.PooledBuffer}s from size classes, through a cache per platform thread
 * ({@code ThreadCache}) in front of a shared level per class ({@code Depot}), and watches for
 * buffers dropped unreleased ({@link dev.weft.buffer.LeakDetection}).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A buffer is handed to one acquirer at a time: a {@code PooledBuffer} is released once, and
 *       a second release, or a use after it, throws instead of reaching the next holder's buffer.
 *       </li>
 *   <li>The free buffers the pool keeps, in caches and depots, never exceed its
 *       {@code maxRetainedBytes}: each cache reserves its share of the bound before it keeps a
 *       buffer, and a depot's buffers keep the share they came with.</li>
 *   <li>A thread cache is touched only by its thread while that thread lives; the pool takes its
 *       buffers back only once the thread ended (or on the thread itself, at close).</li>
 *   <li>Every buffer is counted: acquired = released + in use + leaked-and-reported, and
 *       allocated bytes = bytes in use + retained bytes, for buffers not leaked.</li>
 * </ul>
 */
package dev.weft.buffer;
