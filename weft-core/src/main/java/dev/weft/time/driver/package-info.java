/**
 * The timer driver (seed section 3.2.4.4.2, done right): hierarchical timing wheels
 * ({@link dev.weft.time.driver.TimerWheel}), the timers in them
 * ({@link dev.weft.time.driver.TimerEntry}), what a thread that drives a runtime offers the
 * timers it arms ({@link dev.weft.time.driver.TimerScope}: its wheel, the clock, the reading it
 * promises the timers it creates, {@link dev.weft.time.driver.ClockReading}), a runtime's set of
 * wheels with a manual clock's auto-advance ({@link dev.weft.time.driver.Timers}), and the
 * saturating arithmetic that turns timeouts into deadlines ({@link dev.weft.time.driver.Nanos}).
 * The futures that arm timers ({@code Async.sleep}, {@code timeout}, {@code interval}) live in
 * {@code dev.weft} and find a thread's scope in its context ({@code dev.weft.runtime}); the
 * schedulers ({@code dev.weft.sched}) drive the wheels. This package knows neither: it never
 * imports them.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A timer never fires early: its delay counts from a clock reading no earlier than its
 *       creation, deadlines round up to a tick, and a tick is processed only once the clock has
 *       passed it.</li>
 *   <li>A timer fires at most once per arming, and never after a cancel that returned: a cancel
 *       on the wheel's own thread cannot meet a fire, and one from another thread races it by CAS
 *       on the entry's state, which exactly one of them wins.</li>
 *   <li>Only the wheel's thread touches its slots and links: arming, firing and its own cancels
 *       take no lock and no atomic; an entry cancelled elsewhere is unlinked by it later.</li>
 *   <li>No waker runs with the wheel half updated: fired entries are taken out in batches and
 *       woken after.</li>
 *   <li>A timer no longer needed leaves its wheel at once: the task (or blockOn call) that armed
 *       it holds it and releases it when it ends; combinators drop the futures they no longer
 *       poll.</li>
 *   <li>No timer work while no timer is pending: an empty wheel is a few field reads, and the
 *       clock is read only for a timer pending or promised a reading.</li>
 *   <li>With a manual clock, a move of the clock wakes every driver with a timer due; auto-advance
 *       moves the clock only when every driver has nothing to run.</li>
 * </ul>
 */
package dev.weft.time.driver;
