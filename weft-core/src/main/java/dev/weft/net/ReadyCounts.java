package dev.weft.net;

import dev.weft.Poll;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The ready polls of byte counts, each made once and shared, so that {@code pollRead},
 * {@code pollWrite} and {@code pollSend} allocate nothing per call: a {@link Poll} is immutable
 * (final fields), so any thread may return one another thread made. Counts from -1 to
 * {@value #LIMIT} - 1 are kept, in chunks of {@value #CHUNK} made when first needed (a server
 * with 16 KiB buffers needs at most 16 chunks of 4 KiB of references); larger counts, from larger
 * buffers, allocate their poll as usual.
 */
final class ReadyCounts {

    private static final int CHUNK = 1024;
    private static final int LIMIT = 64 * CHUNK;
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(Poll[][].class);
    private static final VarHandle POLLS = MethodHandles.arrayElementVarHandle(Poll[].class);
    private static final Poll<Integer> END = Poll.ready(-1);

    /** Chunk i holds the counts from i x CHUNK; published by a CAS, read with acquire. */
    private static final Poll<?>[][] chunks = new Poll<?>[LIMIT / CHUNK][];

    private ReadyCounts() {
    }

    /** Returns a ready poll of {@code count}. */
    @SuppressWarnings("unchecked")
    static Poll<Integer> of(int count) {
        if (count < 0 || count >= LIMIT) {
            return count == -1 ? END : Poll.ready(count);
        }
        int index = count / CHUNK;
        Poll<?>[] chunk = (Poll<?>[]) CHUNKS.getAcquire(chunks, index);
        if (chunk == null) {
            // Two threads may both make the chunk: one wins, the other's polls are dropped.
            Poll<?>[] fresh = new Poll<?>[CHUNK];
            Poll<?>[] won = (Poll<?>[]) CHUNKS.compareAndExchange(chunks, index, null,
                    fresh);
            chunk = won == null ? fresh : won;
        }
        // Acquire pairs with the release below, though a Poll's final fields would make even a
        // racy read safe; two threads may both make the same poll, and either one will do.
        Poll<Integer> poll = (Poll<Integer>) POLLS.getAcquire(chunk, count % CHUNK);
        if (poll == null) {
            poll = Poll.ready(count);
            POLLS.setRelease(chunk, count % CHUNK, poll);
        }
        return poll;
    }
}
