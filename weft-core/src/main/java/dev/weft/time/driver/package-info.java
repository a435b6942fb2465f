/**
 * The timer driver (seed section 3.2.4.4.2, done right): hierarchical timing wheels
 * ({@link dev.weft.time.driver.TimerWheel}), the timers in them
 * ({@link dev.weft.time.driver.TimerEntry}), the futures that arm them
 * ({@link dev.weft.time.driver.Sleep}, {@link dev.weft.time.driver.Timeout},
 * {@link dev.weft.time.driver.IntervalTimer}, on their shared
 * {@link dev.weft.time.driver.Alarm}), the per-thread scope that says which wheel and which task
 * a poll arms timers for ({@link dev.weft.time.driver.TimerScope}), and a runtime's set of
 * wheels with a manual clock's auto-advance ({@link dev.weft.time.driver.Timers}). The schedulers
 * ({@code dev.weft.sched}) drive it; it never imports them.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A timer never fires early: deadlines round up to a tick, and a tick is processed only
 *       once the clock has passed it.</li>
 *   <li>A timer fires at most once per arming, and never after a cancel that returned: fire and
 *       cancel both happen under the wheel's lock.</li>
 *   <li>No waker runs under a wheel's lock: fired entries are taken out in batches and woken
 *       after the lock is released.</li>
 *   <li>A timer no longer needed leaves its wheel at once: the task (or blockOn call) that armed
 *       it holds it and releases it when it ends; combinators drop the futures they no longer
 *       poll.</li>
 *   <li>No timer work while no timer is pending: an empty wheel is one field read.</li>
 *   <li>With a manual clock, a move of the clock wakes every driver with a timer due; auto-advance
 *       moves the clock only when every driver has nothing to run.</li>
 * </ul>
 */
package dev.weft.time.driver;
