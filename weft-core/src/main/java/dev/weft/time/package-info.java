/**
 * Time (seed section 3.2.4.4.2): the {@link dev.weft.time.Clock} a runtime's timers run on, the
 * {@link dev.weft.time.ManualClock} that tests move by hand, and {@link dev.weft.time.Interval}
 * with its {@link dev.weft.time.MissedTickBehavior}. Timers themselves are made by
 * {@code dev.weft.Async}: {@code sleep}, {@code sleepUntil}, {@code timeout}, {@code interval}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A timer never completes early: {@code sleep(d)} completes no earlier than d after the
 *       call that created it, measured on the runtime's clock.</li>
 *   <li>An interval keeps its phase: tick k is due at start + k x period.</li>
 *   <li>A timer that is no longer needed (its sleep completed, its timeout's future completed,
 *       its task ended or was aborted) leaves the runtime at once: it holds no memory.</li>
 *   <li>With a manual clock, nothing fires until the clock is moved past its deadline.</li>
 * </ul>
 */
package dev.weft.time;
