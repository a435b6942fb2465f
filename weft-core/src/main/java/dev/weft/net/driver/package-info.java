/**
 * The I/O driver (seed section 3.2.4.4.1, the event loop EL = (E, H, Q, P)): one selector per
 * runtime ({@link dev.weft.net.driver.IoDriver}) that the runtime's idle threads select on instead
 * of parking, and that turns readiness events (E) into wakes (H) of the tasks waiting on each
 * channel ({@link dev.weft.net.driver.Registration}); the run queues are the schedulers' (Q), the
 * selection the JDK's (P). The sockets of {@code dev.weft.net} register here; the schedulers
 * ({@code dev.weft.sched}) hold and select; this package knows neither.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Readiness is never lost: a poller publishes its waker, arms the interest and looks again;
 *       the selecting thread publishes readiness and then takes the waker.</li>
 *   <li>A readiness that comes after a poller's would-block call is not erased by it: clearing
 *       is conditional on the event tick the poller saw.</li>
 *   <li>One thread selects at a time, and none while running tasks: a thread stuck in a long
 *       poll never holds readiness back from an idle one.</li>
 *   <li>At most one {@code Selector.wakeup()} per select.</li>
 *   <li>No waker runs inside the selector's call; a waker that throws is reported and the others
 *       are still woken.</li>
 *   <li>Closing a registration wakes its waiters; closing the driver closes every channel still
 *       registered. A rebuilt selector keeps every registration and its interest.</li>
 * </ul>
 */
package dev.weft.net.driver;
