package dev.weft.sync;

import dev.weft.Future;
import dev.weft.Poll;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channel is linearizable against {@link Model}, a sequential channel, for each kind
 * (bounded to one message, rendezvous, unbounded), in stress and model-checking modes: after
 * kotlinx.coroutines' {@code ChannelsLincheckTest}, trySend, tryReceive, close and size from any
 * thread, one sending task (send, poll again, drop) and two receiving tasks (receive, poll again,
 * drop), so that a message handed to a receive that is then dropped must go to the other. After
 * each scenario: a waiting send or receive whose status changed was woken.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@SuppressWarnings("exports") // public for Lincheck, in a package the module exports
public class ChannelLincheckTest {

    /** JUnit creates it. */
    public ChannelLincheckTest() {
    }

    /** One task's send or receive future, and its waker. */
    private static final class Waiter extends TaskStandIn {
        Future<?> future;
        boolean waited;

        String poll() {
            if (future == null) {
                return "none";
            }
            polling();
            try {
                Poll<?> p = future.poll(this);
                if (!p.isReady()) {
                    waited = true;
                    return "pending";
                }
                future = null;
                waited = false;
                return p.value() == null ? "done" : "got " + p.value();
            } catch (ChannelClosedException closed) {
                future = null;
                waited = false;
                return "closed";
            }
        }

        String start(Future<?> f) {
            if (future != null) {
                return "busy";
            }
            future = f;
            return poll();
        }

        String drop() {
            if (future == null) {
                return "none";
            }
            ((dev.weft.task.Droppable) future).drop();
            future = null;
            waited = false;
            return "dropped";
        }

        void check() {
            if (future == null || !waited || woken()) {
                return;
            }
            boolean changed = future instanceof Send<?> send ? send.status != Send.QUEUED
                    : ((Receive<?>) future).status != Receive.QUEUED;
            if (changed) {
                throw new IllegalStateException("lost wakeup: a waiting " + (future
                        instanceof Send ? "send" : "receive") + " was served but not woken");
            }
        }
    }

    /** The operations, on a channel of each kind. */
    public abstract static class Scenario {
        private final Channel<Integer> channel;
        private final Waiter s = new Waiter();
        private final Waiter r1 = new Waiter();
        private final Waiter r2 = new Waiter();

        Scenario(Channel<Integer> channel) {
            this.channel = channel;
        }

        @Operation
        public String trySend(@Param(gen = IntGen.class, conf = "1:3") int v) {
            try {
                return String.valueOf(channel.trySend(v));
            } catch (ChannelClosedException closed) {
                return "closed";
            }
        }

        @Operation
        public Integer tryReceive() {
            return channel.tryReceive();
        }

        @Operation
        public void close() {
            channel.close();
        }

        @Operation
        public int size() {
            return channel.size();
        }

        @Operation(nonParallelGroup = "s")
        public String send(@Param(gen = IntGen.class, conf = "1:3") int v) {
            return s.start(channel.send(v));
        }

        @Operation(nonParallelGroup = "s")
        public String pollSend() {
            return s.poll();
        }

        @Operation(nonParallelGroup = "s")
        public String dropSend() {
            return s.drop();
        }

        @Operation(nonParallelGroup = "r1")
        public String receive1() {
            return r1.start(channel.receive());
        }

        @Operation(nonParallelGroup = "r1")
        public String pollReceive1() {
            return r1.poll();
        }

        @Operation(nonParallelGroup = "r1")
        public String dropReceive1() {
            return r1.drop();
        }

        @Operation(nonParallelGroup = "r2")
        public String receive2() {
            return r2.start(channel.receive());
        }

        @Operation(nonParallelGroup = "r2")
        public String pollReceive2() {
            return r2.poll();
        }

        @Operation(nonParallelGroup = "r2")
        public String dropReceive2() {
            return r2.drop();
        }

        @Validate
        public void invariants() {
            s.check();
            r1.check();
            r2.check();
        }
    }

    /** The bounded channel of one message. */
    public static final class Bounded extends Scenario {
        /** Lincheck creates one per scenario. */
        public Bounded() {
            super(Channel.bounded(1));
        }
    }

    /** The rendezvous channel. */
    public static final class Rendezvous extends Scenario {
        /** Lincheck creates one per scenario. */
        public Rendezvous() {
            super(Channel.rendezvous());
        }
    }

    /** The unbounded channel. */
    public static final class Unbounded extends Scenario {
        /** Lincheck creates one per scenario. */
        public Unbounded() {
            super(Channel.unbounded());
        }
    }

    @Test
    void modelChecking() {
        for (Class<?> kind : new Class<?>[] {Bounded.class, Rendezvous.class, Unbounded.class}) {
            new ModelCheckingOptions().iterations(20).invocationsPerIteration(400).threads(3)
                    .actorsPerThread(3).sequentialSpecification(modelOf(kind)).check(kind);
        }
    }

    @Test
    void stress() {
        for (Class<?> kind : new Class<?>[] {Bounded.class, Rendezvous.class, Unbounded.class}) {
            new StressOptions().iterations(20).invocationsPerIteration(1_000).threads(3)
                    .actorsPerThread(3).sequentialSpecification(modelOf(kind)).check(kind);
        }
    }

    private static Class<?> modelOf(Class<?> kind) {
        return kind == Bounded.class ? BoundedModel.class
                : kind == Rendezvous.class ? RendezvousModel.class : UnboundedModel.class;
    }

    /** The bounded channel's model. */
    public static final class BoundedModel extends Model {
        /** Lincheck creates one per sequential run. */
        public BoundedModel() {
            super(1);
        }
    }

    /** The rendezvous channel's model. */
    public static final class RendezvousModel extends Model {
        /** Lincheck creates one per sequential run. */
        public RendezvousModel() {
            super(0);
        }
    }

    /** The unbounded channel's model. */
    public static final class UnboundedModel extends Model {
        /** Lincheck creates one per sequential run. */
        public UnboundedModel() {
            super(Integer.MAX_VALUE);
        }
    }

    /** A channel, sequential. */
    public abstract static class Model {
        private final int capacity;
        private final ArrayDeque<Integer> buffer = new ArrayDeque<>();
        /** Messages given back by dropped receives: received before the buffered ones. */
        private final ArrayDeque<Integer> returned = new ArrayDeque<>();
        private boolean closed;
        /** Messages handed to waiting receives not yet taken: the channel is not drained. */
        private int handedOver;
        private final ArrayDeque<ModelWaiter> senders = new ArrayDeque<>();
        private final ArrayDeque<ModelWaiter> receivers = new ArrayDeque<>();
        private final ModelWaiter s = new ModelWaiter();
        private final ModelWaiter r1 = new ModelWaiter();
        private final ModelWaiter r2 = new ModelWaiter();

        Model(int capacity) {
            this.capacity = capacity;
        }

        /** A task's send or receive: idle, queued, or served with an outcome to report. */
        private static final class ModelWaiter {
            boolean active;
            boolean queued;
            boolean handed;
            String outcome;
            int value;
        }

        public String trySend(int v) {
            if (closed) {
                return "closed";
            }
            if (!receivers.isEmpty()) {
                hand(receivers.pollFirst(), v);
                return "true";
            }
            if (buffered() < capacity) {
                buffer.addLast(v);
                return "true";
            }
            return "false";
        }

        public Integer tryReceive() {
            if (!returned.isEmpty()) {
                Integer v = returned.pollFirst();
                refill();
                return v;
            }
            if (!buffer.isEmpty()) {
                Integer v = buffer.pollFirst();
                refill();
                return v;
            }
            if (!senders.isEmpty()) {
                ModelWaiter w = senders.pollFirst();
                serve(w, "done");
                return w.value;
            }
            return null;
        }

        public void close() {
            closed = true;
            for (ModelWaiter w : senders) {
                w.queued = false;
                w.outcome = "closed";
            }
            senders.clear();
            if (handedOver == 0) {
                endReceivers();
            }
        }

        private void endReceivers() {
            for (ModelWaiter w : receivers) {
                w.queued = false;
                w.outcome = "done";
            }
            receivers.clear();
        }

        public int size() {
            return buffered();
        }

        private int buffered() {
            return buffer.size() + returned.size();
        }

        public String send(int v) {
            if (s.active) {
                return "busy";
            }
            if (closed) {
                return "closed";
            }
            if (!receivers.isEmpty()) {
                hand(receivers.pollFirst(), v);
                return "done";
            }
            if (buffered() < capacity) {
                buffer.addLast(v);
                return "done";
            }
            s.active = true;
            s.queued = true;
            s.outcome = null;
            s.value = v;
            senders.addLast(s);
            return "pending";
        }

        public String pollSend() {
            return poll(s);
        }

        public String dropSend() {
            if (!s.active) {
                return "none";
            }
            s.active = false;
            if (s.queued) {
                senders.remove(s);
                s.queued = false;
            }
            return "dropped";
        }

        public String receive1() {
            return receive(r1);
        }

        public String pollReceive1() {
            return poll(r1);
        }

        public String dropReceive1() {
            return dropReceive(r1);
        }

        public String receive2() {
            return receive(r2);
        }

        public String pollReceive2() {
            return poll(r2);
        }

        public String dropReceive2() {
            return dropReceive(r2);
        }

        private String receive(ModelWaiter r) {
            if (r.active) {
                return "busy";
            }
            Integer v = tryReceive();
            if (v != null) {
                return "got " + v;
            }
            if (closed && handedOver == 0) {
                return "done";
            }
            r.active = true;
            r.queued = true;
            r.outcome = null;
            receivers.addLast(r);
            return "pending";
        }

        private String poll(ModelWaiter w) {
            if (!w.active) {
                return "none";
            }
            if (w.queued) {
                return "pending";
            }
            w.active = false;
            if (w.handed) {
                w.handed = false;
                if (--handedOver == 0 && closed && buffered() == 0) {
                    endReceivers();
                }
            }
            return w.outcome;
        }

        private void hand(ModelWaiter r, int v) {
            serve(r, "got " + v);
            r.handed = true;
            handedOver++;
        }

        private String dropReceive(ModelWaiter r) {
            if (!r.active) {
                return "none";
            }
            r.active = false;
            if (r.queued) {
                receivers.remove(r);
                r.queued = false;
            } else if (r.handed) {
                int v = Integer.parseInt(r.outcome.substring(4));
                r.handed = false;
                handedOver--;
                if (!receivers.isEmpty()) {
                    hand(receivers.pollFirst(), v);
                } else {
                    returned.addLast(v); // ahead of the buffered messages
                }
            }
            return "dropped";
        }

        private void serve(ModelWaiter w, String outcome) {
            w.queued = false;
            w.outcome = outcome;
        }

        private void refill() {
            if (!senders.isEmpty() && buffered() < capacity) {
                ModelWaiter w = senders.pollFirst();
                buffer.addLast(w.value);
                serve(w, "done");
            }
        }
    }
}
