package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Async;
import dev.weft.AsyncRuntime;
import dev.weft.JoinHandle;
import dev.weft.Latch;
import org.junit.jupiter.api.Test;

/**
 * {@link CancellationToken}: cancel wakes the waiters, once; children follow their parent and not
 * the other way; a child of a cancelled token starts cancelled; children no longer used do not
 * pile up in their parent.
 */
class CancellationTokenTest {

    @Test
    void cancel_wakesTheWaiters_andStays() {
        CancellationToken t = new CancellationToken();
        Polled<Void> waiting = new Polled<>(t.cancelled());
        assertThat(waiting.ready()).isFalse();
        assertThat(t.isCancelled()).isFalse();
        t.cancel();
        t.cancel(); // idempotent
        assertThat(t.isCancelled()).isTrue();
        assertThat(waiting.wakes()).isEqualTo(1);
        assertThat(waiting.ready()).isTrue();
        assertThat(new Polled<>(t.cancelled()).ready()).as("at once, once cancelled").isTrue();
        assertThat(t).hasToString("CancellationToken[cancelled]");
    }

    @Test
    void children_followTheirParent_notTheOtherWay() {
        CancellationToken parent = new CancellationToken();
        CancellationToken child = parent.child();
        CancellationToken grandchild = child.child();
        CancellationToken sibling = parent.child();
        Polled<Void> waiting = new Polled<>(grandchild.cancelled());
        assertThat(waiting.ready()).isFalse();

        sibling.cancel();
        assertThat(parent.isCancelled()).isFalse();
        assertThat(child.isCancelled()).isFalse();

        parent.cancel();
        assertThat(child.isCancelled()).isTrue();
        assertThat(grandchild.isCancelled()).isTrue();
        assertThat(waiting.wakes()).isEqualTo(1);
        assertThat(parent.child().isCancelled()).as("born cancelled").isTrue();
    }

    @Test
    void aChildReachedOnlyThroughItsFuture_orItsOwnChild_isStillCancelledWithTheRoot() {
        CancellationToken root = new CancellationToken();
        Polled<Void> onlyTheFuture = new Polled<>(root.child().cancelled());
        CancellationToken grandchild = root.child().child(); // its parent is held by nobody else
        assertThat(onlyTheFuture.ready()).isFalse();
        for (int i = 0; i < 3; i++) {
            System.gc(); // what nobody reaches strongly would be collected here
        }
        root.cancel();
        assertThat(onlyTheFuture.wakes()).isEqualTo(1);
        assertThat(onlyTheFuture.ready()).isTrue();
        assertThat(grandchild.isCancelled()).isTrue();
    }

    @Test
    void aDeepChain_isCancelledWithoutRecursion() {
        CancellationToken root = new CancellationToken();
        CancellationToken leaf = root;
        for (int i = 0; i < 100_000; i++) {
            leaf = leaf.child();
        }
        root.cancel();
        assertThat(root.isCancelled()).isTrue();
        assertThat(leaf.isCancelled()).isTrue();
    }

    @Test
    void childrenNoLongerUsed_doNotPileUpInTheirParent() {
        CancellationToken parent = new CancellationToken();
        int made = 2_000_000;
        for (int i = 0; i < made; i++) {
            parent.child();
            if (i % 250_000 == 0) {
                System.gc(); // clears the references of the children made so far
            }
        }
        // Swept as the list doubles: what the collector cleared goes; without the sweep, all stay.
        assertThat(parent.childrenTracked()).isLessThan(made / 2);
    }

    @Test
    void aTaskSelectingOnTheToken_stopsWhenCancelled() {
        try (AsyncRuntime rt = AsyncRuntime.builder().workerThreads(2).build()) {
            CancellationToken stop = new CancellationToken();
            JoinHandle<String> served = rt.spawn(Async.select(stop.cancelled(), new Latch())
                    .map(either -> either.isFirst() ? "stopped" : "served"));
            stop.cancel();
            assertThat(served.join()).isEqualTo("stopped");
        }
    }
}
