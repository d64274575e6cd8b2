package optlab.tensor;

import java.util.concurrent.atomic.LongAdder;

/**
 * Every off-heap byte optlab allocates, counted where it is allocated (plain {@link Scope}s, {@link BufferPool}s,
 * the CPU backend's kernel workspace), process-wide like the JVM's native memory tracking. A training loop in
 * steady state leaves it flat; tests read it around steps to prove that no step allocates after warm-up.
 */
public final class OffHeap {
    private static final LongAdder ALLOCATED = new LongAdder();

    private OffHeap() {
    }

    /** Bytes allocated since the JVM started (freed memory is not subtracted: this counts allocations). */
    public static long allocatedBytes() {
        return ALLOCATED.sum();
    }

    /** Records an allocation of {@code bytes}: every allocator of host memory calls it (backends included). */
    public static void count(long bytes) {
        ALLOCATED.add(bytes);
    }
}
