package dev.weft.sched;

import dev.weft.task.Task;
import java.util.Arrays;

/**
 * The ready tasks of one priority that have a deadline: earliest deadline first, ties in the order
 * they were added. Also answers, in O(1) amortized, which of its tasks has waited longest, so that
 * starvation prevention can take that one instead. Not thread-safe: its owner is one thread, or
 * the lock of the queue holding it.
 *
 * <h2>How</h2>
 * Two views of the same tasks: a binary min-heap by (deadline, order added), and a FIFO of
 * arrivals. Taking a task from one view leaves its entry in the other, to be dropped when it comes
 * up (lazy deletion): so each task costs O(log n) in the heap and O(1) in the FIFO, and neither
 * view is ever searched. An entry is live while its task's stamp ({@link Task#queuedAt()}) still
 * equals the stamp the entry recorded; taking a task sets its stamp to {@link #TAKEN}, which kills
 * its other entry. Dead entries are compacted away once they outnumber the live ones, so memory
 * stays proportional to the tasks queued.
 */
final class DeadlineQueue {

    /** The stamp of a task this queue handed out: not a clock reading a runtime could take. */
    static final long TAKEN = Long.MIN_VALUE;

    private static final int INITIAL_CAPACITY = 8;

    // The heap, in four parallel arrays (no entry objects to allocate per task).
    private Task<?>[] heapTasks = new Task<?>[INITIAL_CAPACITY];
    private long[] heapDeadlines = new long[INITIAL_CAPACITY];
    private long[] heapOrders = new long[INITIAL_CAPACITY];
    private long[] heapStamps = new long[INITIAL_CAPACITY];
    private int heapSize;

    // The FIFO of arrivals, a ring in two parallel arrays; first and end grow without wrapping.
    private Task<?>[] arrivalTasks = new Task<?>[INITIAL_CAPACITY];
    private long[] arrivalStamps = new long[INITIAL_CAPACITY];
    private int arrivalFirst;
    private int arrivalEnd;

    private long nextOrder;
    private int live;

    /**
     * Adds a task and stamps it.
     *
     * @param task     a task in no other queue
     * @param deadline its deadline, in any scale shared by the tasks of this queue
     * @param stamp    when it was queued, a reading of the runtime's clock
     */
    void add(Task<?> task, long deadline, long stamp) {
        task.stampQueued(stamp);
        if (heapSize == heapTasks.length) {
            growHeap();
        }
        heapTasks[heapSize] = task;
        heapDeadlines[heapSize] = deadline;
        heapOrders[heapSize] = nextOrder++;
        heapStamps[heapSize] = stamp;
        siftUp(heapSize++);
        if (arrivalEnd - arrivalFirst == arrivalTasks.length) {
            growArrivals();
        }
        int slot = arrivalEnd++ & (arrivalTasks.length - 1);
        arrivalTasks[slot] = task;
        arrivalStamps[slot] = stamp;
        live++;
    }

    /**
     * Takes the task with the earliest deadline.
     *
     * @return the task, or null if empty
     */
    Task<?> poll() {
        while (heapSize > 0) {
            Task<?> task = heapTasks[0];
            boolean isLive = task.queuedAt() == heapStamps[0];
            removeHeapTop();
            if (isLive) {
                return take(task);
            }
        }
        return null;
    }

    /**
     * Takes the task that has waited longest.
     *
     * @return the task, or null if empty
     */
    Task<?> pollOldest() {
        dropDeadArrivals();
        if (arrivalFirst == arrivalEnd) {
            return null;
        }
        int slot = arrivalFirst++ & (arrivalTasks.length - 1);
        Task<?> task = arrivalTasks[slot];
        arrivalTasks[slot] = null;
        return take(task);
    }

    /**
     * Returns the task that has waited longest, without taking it; its {@link Task#queuedAt()}
     * is the stamp it was added with.
     *
     * @return the task, or null if empty
     */
    Task<?> peekOldest() {
        dropDeadArrivals();
        return arrivalFirst == arrivalEnd ? null
                : arrivalTasks[arrivalFirst & (arrivalTasks.length - 1)];
    }

    int size() {
        return live;
    }

    boolean isEmpty() {
        return live == 0;
    }

    private Task<?> take(Task<?> task) {
        task.stampQueued(TAKEN);
        if (--live == 0) {
            clear();
        } else if (heapSize > 2 * live + INITIAL_CAPACITY
                || arrivalEnd - arrivalFirst > 2 * live + INITIAL_CAPACITY) {
            compact();
        }
        return task;
    }

    // ---------------------------------------------------------------- arrivals

    private void dropDeadArrivals() {
        int mask = arrivalTasks.length - 1;
        while (arrivalFirst != arrivalEnd) {
            int slot = arrivalFirst & mask;
            if (arrivalTasks[slot].queuedAt() == arrivalStamps[slot]) {
                return;
            }
            arrivalTasks[slot] = null;
            arrivalFirst++;
        }
    }

    private void growArrivals() {
        int n = arrivalEnd - arrivalFirst;
        Task<?>[] tasks = new Task<?>[arrivalTasks.length * 2];
        long[] stamps = new long[tasks.length];
        int mask = arrivalTasks.length - 1;
        for (int i = 0; i < n; i++) {
            tasks[i] = arrivalTasks[(arrivalFirst + i) & mask];
            stamps[i] = arrivalStamps[(arrivalFirst + i) & mask];
        }
        arrivalTasks = tasks;
        arrivalStamps = stamps;
        arrivalFirst = 0;
        arrivalEnd = n;
    }

    // ---------------------------------------------------------------- compaction

    /** The last live task went: every entry left is dead. */
    private void clear() {
        Arrays.fill(heapTasks, 0, heapSize, null);
        heapSize = 0;
        Arrays.fill(arrivalTasks, null);
        arrivalFirst = 0;
        arrivalEnd = 0;
    }

    /** Drops the dead entries of both views; O(n), after at least n/2 takes. */
    private void compact() {
        int kept = 0;
        for (int i = 0; i < heapSize; i++) {
            if (heapTasks[i].queuedAt() == heapStamps[i]) {
                heapTasks[kept] = heapTasks[i];
                heapDeadlines[kept] = heapDeadlines[i];
                heapOrders[kept] = heapOrders[i];
                heapStamps[kept] = heapStamps[i];
                kept++;
            }
        }
        Arrays.fill(heapTasks, kept, heapSize, null);
        heapSize = kept;
        for (int i = (heapSize >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
        int mask = arrivalTasks.length - 1;
        int end = 0;
        Task<?>[] tasks = new Task<?>[arrivalTasks.length];
        long[] stamps = new long[tasks.length];
        for (int i = arrivalFirst; i != arrivalEnd; i++) {
            Task<?> task = arrivalTasks[i & mask];
            if (task.queuedAt() == arrivalStamps[i & mask]) {
                tasks[end] = task;
                stamps[end] = arrivalStamps[i & mask];
                end++;
            }
        }
        arrivalTasks = tasks;
        arrivalStamps = stamps;
        arrivalFirst = 0;
        arrivalEnd = end;
    }

    // ---------------------------------------------------------------- heap

    private boolean before(int a, int b) {
        return heapDeadlines[a] != heapDeadlines[b] ? heapDeadlines[a] < heapDeadlines[b]
                : heapOrders[a] < heapOrders[b];
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= heapSize) {
                return;
            }
            int child = left + 1 < heapSize && before(left + 1, left) ? left + 1 : left;
            if (!before(child, i)) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void removeHeapTop() {
        int last = --heapSize;
        heapTasks[0] = heapTasks[last];
        heapDeadlines[0] = heapDeadlines[last];
        heapOrders[0] = heapOrders[last];
        heapStamps[0] = heapStamps[last];
        heapTasks[last] = null;
        siftDown(0);
    }

    private void swap(int a, int b) {
        Task<?> t = heapTasks[a];
        heapTasks[a] = heapTasks[b];
        heapTasks[b] = t;
        long d = heapDeadlines[a];
        heapDeadlines[a] = heapDeadlines[b];
        heapDeadlines[b] = d;
        long o = heapOrders[a];
        heapOrders[a] = heapOrders[b];
        heapOrders[b] = o;
        long s = heapStamps[a];
        heapStamps[a] = heapStamps[b];
        heapStamps[b] = s;
    }

    private void growHeap() {
        int n = heapTasks.length * 2;
        heapTasks = Arrays.copyOf(heapTasks, n);
        heapDeadlines = Arrays.copyOf(heapDeadlines, n);
        heapOrders = Arrays.copyOf(heapOrders, n);
        heapStamps = Arrays.copyOf(heapStamps, n);
    }
}
