package dev.weft;

/**
 * Scheduling priority of a task, from most to least urgent (seed section 3.2.4.2.2).
 */
public enum Priority {
    /** Work that must run before anything else, such as failure handling or heartbeats. */
    CRITICAL,
    /** Latency-sensitive work, such as requests from interactive users. */
    HIGH,
    /** The default. */
    NORMAL,
    /** Work that may wait behind normal work. */
    LOW,
    /** Work that runs when nothing more urgent is ready, such as compaction or prefetching. */
    BACKGROUND
}
