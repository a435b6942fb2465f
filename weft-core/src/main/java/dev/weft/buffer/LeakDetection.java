package dev.weft.buffer;

/**
 * Whether a {@link BufferPool} watches for buffers that are garbage-collected without
 * {@link PooledBuffer#release()}. A watched buffer records where it was acquired (a stack trace,
 * which is what watching costs); one found leaked is reported once through {@link System.Logger}
 * at WARNING, with that stack trace, and the pool stops counting it as allocated and in use.
 */
public enum LeakDetection {
    /** Nothing is watched: a leaked buffer is freed by the collector, unreported. */
    OFF,
    /** About one buffer in 128 is watched: leaks that recur get reported, at little cost. */
    SAMPLED,
    /** Every buffer is watched: for tests and for hunting a leak. */
    PARANOID
}
