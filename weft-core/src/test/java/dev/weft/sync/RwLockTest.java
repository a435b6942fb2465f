package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.Future;
import dev.weft.JoinHandle;
import dev.weft.Latch;
import dev.weft.RuntimeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RwLock}: readers together, a writer alone, a writer not starved by a stream of readers,
 * FIFO across both kinds, the read guard's refusal to write, a dropped writer's permits handed
 * back, an aborted reader in withRead, and the rule on both runtimes under contention.
 */
class RwLockTest {

    @Test
    void readersShare_aWriterExcludesEveryone() {
        RwLock<String> rw = new RwLock<>("v");
        Mutex.Guard<String> r1 = rw.tryRead();
        Mutex.Guard<String> r2 = new Polled<>(rw.read()).poll().value();
        assertThat(r1.get()).isEqualTo("v");
        assertThat(r2.get()).isEqualTo("v");
        assertThat(rw).hasToString("RwLock[read by 2]");
        assertThat(rw.tryWrite()).isNull();
        assertThatThrownBy(() -> r1.set("w")).isInstanceOf(IllegalStateException.class)
                .hasMessage("a read guard of RwLock[read by 2] cannot set the value");
        r1.unlock();
        r2.unlock();
        Mutex.Guard<String> w = rw.tryWrite();
        assertThat(rw.tryRead()).isNull();
        assertThat(rw).hasToString("RwLock[locked]");
        w.set("w");
        w.unlock();
        assertThat(rw.tryRead().get()).isEqualTo("w");
    }

    @Test
    void aWaitingWriter_isNotStarvedByReadersThatComeAfterIt() {
        RwLock<Integer> rw = new RwLock<>(0);
        Mutex.Guard<Integer> reader = rw.tryRead();
        Polled<Mutex.Guard<Integer>> writer = new Polled<>(rw.write());
        assertThat(writer.ready()).isFalse();
        assertThat(rw.tryRead()).as("a later reader does not pass the writer").isNull();
        Polled<Mutex.Guard<Integer>> laterReader = new Polled<>(rw.read());
        assertThat(laterReader.ready()).isFalse();
        reader.unlock();
        assertThat(writer.wakes()).isEqualTo(1);
        assertThat(laterReader.wakes()).isZero();
        Mutex.Guard<Integer> w = writer.poll().value();
        w.set(1);
        w.unlock();
        assertThat(laterReader.wakes()).isEqualTo(1);
        assertThat(laterReader.poll().value().get()).isEqualTo(1);
    }

    @Test
    void aDroppedWaitingWriter_handsBackWhatItHad_toTheReadersBehindIt() {
        RwLock<String> rw = new RwLock<>("v");
        Mutex.Guard<String> reader = rw.tryRead();
        Polled<Mutex.Guard<String>> writer = new Polled<>(rw.write());
        assertThat(writer.ready()).isFalse(); // took every free permit, waits for the reader's
        Polled<Mutex.Guard<String>> behind = new Polled<>(rw.read());
        assertThat(behind.ready()).isFalse();
        writer.drop();
        assertThat(behind.wakes()).isEqualTo(1);
        assertThat(behind.poll().value().get()).isEqualTo("v");
        reader.unlock();
        assertThat(rw).hasToString("RwLock[read by 1]");
    }

    @Test
    void anAbortedReader_inWithRead_hasItsReadGuardUnlocked() {
        try (AsyncRuntime rt = AsyncRuntime.currentThread().build()) {
            RwLock<String> rw = new RwLock<>("v");
            JoinHandle<Void> reader = rt.spawn(rw.withRead(g -> new Latch()));
            JoinHandle<String> writer = rt.spawn(rw.write().map(g -> {
                g.set("written");
                g.unlock();
                return "wrote";
            }));
            rt.runUntilStalled();
            assertThat(writer.isDone()).isFalse();
            reader.abort();
            rt.runUntilStalled();
            assertThat(writer.join()).isEqualTo("wrote");
            assertThat(rw).hasToString("RwLock[unlocked]");
        }
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void writersAlone_readersTogether_underContention(RuntimeKind kind) {
        try (AsyncRuntime rt = kind.build()) {
            RwLock<Integer> rw = new RwLock<>(0);
            AtomicInteger readers = new AtomicInteger();
            AtomicInteger writers = new AtomicInteger();
            AtomicReference<String> violation = new AtomicReference<>();
            List<JoinHandle<Void>> handles = new ArrayList<>();
            for (int t = 0; t < 60; t++) {
                boolean writes = t % 3 == 0;
                handles.add(rt.spawn(Async.ready(null).then(
                        v -> turns(rw, writes, 60, readers, writers, violation))));
            }
            rt.blockOn(Async.joinAll(handles));
            assertThat(violation.get()).isNull();
            assertThat(rw.tryRead().get()).isEqualTo(20 * 60);
        }
    }

    /** Reads or writes {@code n} times, yielding while holding the lock, checking exclusion. */
    private static Future<Void> turns(RwLock<Integer> rw, boolean writes, int n,
            AtomicInteger readers, AtomicInteger writers, AtomicReference<String> violation) {
        if (n == 0) {
            return Async.ready(null);
        }
        Future<Mutex.Guard<Integer>> lock = writes ? rw.write() : rw.read();
        return lock.then(g -> {
            AtomicInteger mine = writes ? writers : readers;
            mine.incrementAndGet();
            if (writers.get() > 1 || (writers.get() == 1 && readers.get() > 0)) {
                violation.set(writers.get() + " writers with " + readers.get() + " readers");
            }
            int seen = g.get();
            return Async.yieldNow().then(y -> {
                if (writes) {
                    g.set(seen + 1);
                }
                mine.decrementAndGet();
                g.unlock();
                return turns(rw, writes, n - 1, readers, writers, violation);
            });
        });
    }
}
