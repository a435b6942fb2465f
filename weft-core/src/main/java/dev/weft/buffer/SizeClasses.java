package dev.weft.buffer;

/**
 * The pooled size classes: every 16 bytes up to 128, then four classes per doubling (160, 192,
 * 224, 256, 320, ...) up to 64 KiB, 44 in all. A request gets the smallest class that holds it,
 * so at most a fifth of a buffer above 128 bytes is waste (jemalloc's spacing, which Netty's
 * {@code SizeClasses} also uses). Classes up to {@link #SMALL_MAX} are the seed's small tier,
 * the rest up to {@link #POOLED_MAX} its medium tier; larger requests are not pooled.
 */
final class SizeClasses {

    /** The largest size of the small tier. */
    static final int SMALL_MAX = 1024;
    /** The largest pooled size (the medium tier's top); larger buffers are allocated per use. */
    static final int POOLED_MAX = 64 * 1024;
    /** The number of classes. */
    static final int COUNT = 44;
    /** The classes of the small tier are 0 through this one. */
    static final int LAST_SMALL = 19;

    private static final int LINEAR_MAX = 128;
    private static final int LINEAR_STEP_SHIFT = 4;
    private static final int LINEAR_CLASSES = LINEAR_MAX >>> LINEAR_STEP_SHIFT;
    /** log2 of {@link #LINEAR_MAX}: the first doubling group starts above it. */
    private static final int FIRST_GROUP_LOG2 = 7;

    private static final int[] SIZES = new int[COUNT];

    static {
        for (int i = 0; i < COUNT; i++) {
            SIZES[i] = computeSize(i);
        }
    }

    private SizeClasses() {
    }

    /**
     * The class of a request.
     *
     * @param capacity 1 to {@link #POOLED_MAX} bytes
     * @return the index of the smallest class of at least {@code capacity} bytes
     */
    static int indexOf(int capacity) {
        if (capacity <= LINEAR_MAX) {
            return ((capacity + (1 << LINEAR_STEP_SHIFT) - 1) >>> LINEAR_STEP_SHIFT) - 1;
        }
        // 2^log2 < capacity <= 2^(log2 + 1), in four steps of 2^(log2 - 2)
        int log2 = 31 - Integer.numberOfLeadingZeros(capacity - 1);
        int stepShift = log2 - 2;
        int step = ((capacity - (1 << log2)) + (1 << stepShift) - 1) >>> stepShift; // 1 to 4
        return LINEAR_CLASSES + ((log2 - FIRST_GROUP_LOG2) << 2) + step - 1;
    }

    /** The size of class {@code index}, in bytes. */
    static int size(int index) {
        return SIZES[index];
    }

    private static int computeSize(int index) {
        if (index < LINEAR_CLASSES) {
            return (index + 1) << LINEAR_STEP_SHIFT;
        }
        int group = (index - LINEAR_CLASSES) >>> 2;
        int step = ((index - LINEAR_CLASSES) & 3) + 1;
        int base = 1 << (FIRST_GROUP_LOG2 + group);
        return base + step * (base >>> 2);
    }
}
