/**
 * Weft: an asynchronous task runtime for the JVM.
 *
 * <p>Only the public surface is exported: {@code dev.weft} and {@code dev.weft.time} (clocks and
 * intervals), {@code dev.weft.net} (sockets), {@code dev.weft.sync} (coordination between
 * tasks) and {@code dev.weft.buffer} (the buffer pool). The seam between the facade and the schedulers ({@code dev.weft.runtime}), the task
 * state machine ({@code dev.weft.task}), the schedulers ({@code dev.weft.sched}), the timer driver
 * ({@code dev.weft.time.driver}) and the spin lock they share ({@code dev.weft.concurrent}) are
 * internal: a newcomer reads {@code dev.weft} first, then one package per seed section.
 */
module dev.weft {
    requires java.management;
    requires jdk.jfr;

    exports dev.weft;
    exports dev.weft.time;
    exports dev.weft.net;
    exports dev.weft.sync;
    exports dev.weft.buffer;
}
