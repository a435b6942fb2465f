/**
 * Weft: an asynchronous task runtime for the JVM.
 *
 * <p>Only {@code dev.weft}, the public surface, is exported. The task state machine
 * ({@code dev.weft.task}) and the schedulers ({@code dev.weft.sched}) are internal: a newcomer
 * reads {@code dev.weft} first, then one package per seed section.
 */
module dev.weft {
    exports dev.weft;
}
