/**
 * JMH benchmarks of Weft against the executors users would pick instead. Each benchmark selects
 * the implementation with an {@code executor} {@code @Param}, so Weft and its peer run in the same
 * session, and results are read as a ratio. Run them with
 * {@code java -jar weft-bench/target/benchmarks.jar} (see the README's performance section).
 */
package dev.weft.bench;
