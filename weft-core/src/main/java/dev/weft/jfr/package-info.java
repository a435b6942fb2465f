/**
 * The runtime's JDK Flight Recorder events, for Mission Control and {@code jfr print}: long polls
 * ({@code dev.weft.LongPoll}), worker parks ({@code dev.weft.WorkerPark}, 10 ms and longer by
 * default), steals ({@code dev.weft.Steal}) and lifecycle changes ({@code dev.weft.RuntimeState}).
 *
 * <p>Each event has a static method that makes and commits it only if a recording enabled it: with
 * no recording, or the event disabled, the call is an empty method and the event object is never
 * made (the JIT removes it), so the runtime's paths pay nothing. Events are committed on the
 * thread they describe: a park or a steal by the worker itself, a long poll by its worker once it
 * returns, a state change by the thread that made it.
 *
 * <p>Internal: the event names and fields are the public part, as Mission Control shows them.
 */
package dev.weft.jfr;
