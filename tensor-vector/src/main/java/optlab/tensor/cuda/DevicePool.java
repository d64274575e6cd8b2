package optlab.tensor.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device buffers recycled by exact byte size (the device twin of {@link optlab.tensor.BufferPool}): a training
 * loop reaches a steady state after its first step and stops calling cudaMalloc, which synchronizes the device.
 * Owns every buffer it handed out and frees them all on {@link #close()}.
 */
final class DevicePool implements AutoCloseable {
    private final Cudart cudart;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private final Map<Long, Long> sizes = new HashMap<>();
    private boolean closed;

    DevicePool(Cudart cudart) {
        this.cudart = cudart;
    }

    /** A buffer of {@code bytes} (at least 1), new or reused. */
    synchronized long take(long bytes) {
        long size = Math.max(1, bytes);
        ArrayDeque<Long> q = free.get(size);
        if (q != null && !q.isEmpty()) {
            return q.pop();
        }
        long p = cudart.malloc(size);
        sizes.put(p, size);
        return p;
    }

    /** Returns a buffer for reuse; after {@link #close()} (a scope outliving its backend) there is nothing to do. */
    synchronized void give(long pointer) {
        if (closed) {
            return;
        }
        Long size = sizes.get(pointer);
        if (size == null) {
            throw new IllegalArgumentException("device buffer 0x" + Long.toHexString(pointer) + " is not from this pool");
        }
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(pointer);
    }

    /** Bytes allocated from the device so far. */
    synchronized long allocatedBytes() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public synchronized void close() {
        closed = true;
        free.clear();
        RuntimeException first = null;
        for (long p : sizes.keySet()) {
            try {
                cudart.free(p);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        sizes.clear();
        if (first != null) {
            throw first;
        }
    }
}
