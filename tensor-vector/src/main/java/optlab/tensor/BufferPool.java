package optlab.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles off-heap buffers by exact byte size, so a loop that opens a {@link Scope} per step on
 * this pool reaches a steady state after the first step and allocates nothing new afterwards.
 * The pool owns all memory it ever handed out and frees it on {@link #close()}.
 */
public final class BufferPool implements AutoCloseable {
    /** Alignment of every buffer: one cache line, enough for 512-bit vector loads. */
    static final long ALIGNMENT = 64;

    private final Arena arena = Arena.ofShared();
    private final Map<Long, ArrayDeque<MemorySegment>> free = new HashMap<>();
    private long allocatedBytes;

    synchronized MemorySegment take(long bytes) {
        ArrayDeque<MemorySegment> q = free.get(bytes);
        if (q != null && !q.isEmpty()) {
            return q.pop();
        }
        allocatedBytes += bytes;
        OffHeap.count(bytes);
        return arena.allocate(bytes, ALIGNMENT);
    }

    synchronized void give(MemorySegment segment) {
        free.computeIfAbsent(segment.byteSize(), k -> new ArrayDeque<>()).push(segment);
    }

    /** Bytes this pool has allocated from the system so far (flat once a loop is in steady state). */
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    @Override
    public synchronized void close() {
        free.clear();
        arena.close();
    }
}
