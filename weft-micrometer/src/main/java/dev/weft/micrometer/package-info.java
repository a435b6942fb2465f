/**
 * Weft's metrics in Micrometer: {@link dev.weft.micrometer.WeftMetrics}, a {@code MeterBinder}
 * of one runtime's {@link dev.weft.RuntimeMetrics}, under Micrometer's executor names where they
 * fit and {@code weft.} names for the rest. Reads only public snapshots: it keeps no state of
 * the runtime's own, only the last snapshot, so binding it costs the runtime nothing until a
 * registry reads a meter.
 */
package dev.weft.micrometer;
