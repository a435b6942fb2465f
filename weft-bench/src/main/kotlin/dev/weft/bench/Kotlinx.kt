package dev.weft.bench

import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/**
 * The kotlinx.coroutines peers of [ChannelBenchmark] and [MutexBenchmark], written as a Kotlin
 * user writes them: coroutines on `Dispatchers.Default` (sized by the benchmarks'
 * `-Dkotlinx.coroutines.scheduler.core.pool.size`), the benchmark thread in `runBlocking`
 * until they are all done.
 */
object Kotlinx {

    /**
     * Sends [messages] from [producers] coroutines to [consumers] coroutines through a channel
     * of [capacity] messages (-1: unbounded); the last producer closes it, each consumer
     * receives until it is closed and drained. Returns the number received.
     */
    @JvmStatic
    fun transfer(capacity: Int, producers: Int, consumers: Int, messages: Int): Int =
        runBlocking {
            val channel = Channel<Int>(if (capacity > 0) capacity else Channel.UNLIMITED)
            val producing = AtomicInteger(producers)
            val counts = List(consumers) {
                async(Dispatchers.Default) {
                    var n = 0
                    for (message in channel) {
                        n++
                    }
                    n
                }
            }
            repeat(producers) {
                launch(Dispatchers.Default) {
                    repeat(messages / producers) { i -> channel.send(i) }
                    if (producing.decrementAndGet() == 0) {
                        channel.close()
                    }
                }
            }
            counts.sumOf { it.await() }
        }

    /** A counter behind a kotlinx [Mutex], for [contended] and [uncontended]. */
    class Counter {
        internal val mutex = Mutex()
        internal var value = 0L
    }

    /**
     * [holders] coroutines each take [counter]'s mutex [rounds] times to increment it.
     * Returns the counter's value after.
     */
    @JvmStatic
    fun contended(counter: Counter, holders: Int, rounds: Int): Long {
        runBlocking { // returns once every coroutine launched in it has completed
            repeat(holders) {
                launch(Dispatchers.Default) {
                    repeat(rounds) { counter.mutex.withLock { counter.value++ } }
                }
            }
        }
        return counter.value
    }

    /**
     * Takes and releases [counter]'s mutex [rounds] times on this thread with `tryLock`, as
     * Weft's uncontended row does. Returns the sum of the values seen.
     */
    @JvmStatic
    fun uncontended(counter: Counter, rounds: Int): Long {
        var n = 0L
        repeat(rounds) {
            check(counter.mutex.tryLock()) { "the uncontended mutex was held" }
            n += ++counter.value
            counter.mutex.unlock()
        }
        return n
    }
}
