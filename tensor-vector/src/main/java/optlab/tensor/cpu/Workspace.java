package optlab.tensor.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import optlab.tensor.DType;
import optlab.tensor.OffHeap;
import optlab.tensor.Tensor;

/**
 * Grow-only scratch memory owned by one backend, so kernels that need temporaries (im2col columns,
 * staged copies of strided views) reuse the same buffers on every call: a training loop reaches its
 * largest request in the first step and allocates nothing afterwards. Each kernel family names its
 * own slots; buffers are handed out on the calling thread, before work is split over the team. Like
 * the backend it belongs to, it serves one calling thread at a time, and a kernel never holds two
 * tensors from the same slot (a larger request replaces the slot's memory).
 */
final class Workspace implements AutoCloseable {
    /** Slots, one per temporary a kernel keeps alive at the same time as the others. */
    enum Slot {
        CONV_COLS, CONV_WEIGHT, CONV_GRAD_OUT, CONV_OUT,
        DIST_X, DIST_C, DIST_W, DIST_GX, DIST_GC, DIST_GW, DIST_CT, DIST_WT, DIST_OUT
    }

    private final Arena[] arenas = new Arena[Slot.values().length];
    private final MemorySegment[] segments = new MemorySegment[Slot.values().length];

    /** A contiguous tensor over slot memory, valid until the next request for the same slot. */
    synchronized Tensor tensor(Slot slot, DType dtype, int... shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return Tensor.wrap(segment(slot, Math.max(1, n) * dtype.byteSize()), dtype, shape);
    }

    private MemorySegment segment(Slot slot, long bytes) {
        int i = slot.ordinal();
        if (segments[i] == null || segments[i].byteSize() < bytes) {
            if (arenas[i] != null) {
                arenas[i].close();
            }
            // Grow by at least half again, so a slowly rising request settles after a few calls.
            long size = segments[i] == null ? bytes : Math.max(bytes, segments[i].byteSize() * 3 / 2);
            arenas[i] = Arena.ofShared();
            segments[i] = arenas[i].allocate(size, 64);
            OffHeap.count(size);
        }
        return segments[i];
    }

    /** Bytes held over all slots (tests check it stays flat across repeated calls). */
    synchronized long bytes() {
        long b = 0;
        for (MemorySegment s : segments) {
            b += s == null ? 0 : s.byteSize();
        }
        return b;
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < arenas.length; i++) {
            if (arenas[i] != null) {
                arenas[i].close();
                arenas[i] = null;
                segments[i] = null;
            }
        }
    }
}
