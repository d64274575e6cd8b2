package optlab.tensor.cuda;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.tensor.Tensor;

/**
 * The device addresses of one kernel call's operands. A device tensor is used where it lies. A host tensor is
 * staged: per host segment, the union of the byte ranges its views in this call touch is copied to one device
 * buffer (so views that alias on the host alias on the device too, and an in-place op stays in place), and
 * copied back on {@link #close()} when the call writes to it. Correct but paying two transfers per call: the
 * path for host-resident data; device-resident tensors avoid it.
 */
final class Staging implements AutoCloseable {
    private final Cudart cudart;
    private final DevicePool pool;
    private final Map<Long, Range> ranges = new LinkedHashMap<>();
    private final Map<Tensor, Long> addresses = new IdentityHashMap<>();
    private final List<Long> temporaries = new ArrayList<>();

    /** Bytes [lo, hi) of a host segment (addresses), its device copy and whether the call writes it. */
    private static final class Range {
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE, device;
        boolean written;
    }

    Staging(Cudart cudart, DevicePool pool) {
        this.cudart = cudart;
        this.pool = pool;
    }

    /** Declares the call's operands: {@code inputs} are read, {@code outputs} written (null entries skipped). */
    Staging operands(Tensor[] inputs, Tensor... outputs) {
        for (Tensor t : inputs) {
            declare(t, false);
        }
        for (Tensor t : outputs) {
            declare(t, true);
        }
        for (Range r : ranges.values()) {
            if (r.device == 0 && r.hi > r.lo) {
                r.device = pool.take(r.hi - r.lo);
                cudart.memcpy(r.device, r.lo, r.hi - r.lo, Cudart.HOST_TO_DEVICE);
            }
        }
        return this;
    }

    private void declare(Tensor t, boolean written) {
        if (t == null || t.onDevice() || t.numel() == 0) {
            return;
        }
        long es = t.dtype().byteSize(), last = t.offset();
        int[] shape = t.shape();
        long[] strides = t.strides();
        for (int d = 0; d < shape.length; d++) {
            last += (long) (shape[d] - 1) * strides[d];
        }
        long base = t.segment().address();
        Range r = ranges.computeIfAbsent(base, k -> new Range());
        r.lo = Math.min(r.lo, base + t.offset() * es);
        r.hi = Math.max(r.hi, base + (last + 1) * es);
        r.written |= written;
    }

    /** Device address of element [0, 0, ...] of {@code t}; 0 for null or empty tensors. */
    long address(Tensor t) {
        if (t == null) {
            return 0;
        }
        long es = t.dtype().byteSize();
        if (t.onDevice()) {
            return t.deviceMemory().address() + t.offset() * es;
        }
        if (t.numel() == 0) {
            return 0;
        }
        Long known = addresses.get(t);
        if (known != null) {
            return known;
        }
        Range r = ranges.get(t.segment().address());
        if (r == null) {
            throw new IllegalStateException("operand " + t + " was not declared to the staging");
        }
        long a = r.device + (t.segment().address() + t.offset() * es - r.lo);
        addresses.put(t, a);
        return a;
    }

    /** A scratch device buffer returned to the pool on close. */
    long temporary(long bytes) {
        long p = pool.take(bytes);
        temporaries.add(p);
        return p;
    }

    /** Copies written ranges back to the host and returns the device buffers to the pool. */
    @Override
    public void close() {
        try {
            for (Range r : ranges.values()) {
                if (r.written && r.device != 0) {
                    cudart.memcpy(r.lo, r.device, r.hi - r.lo, Cudart.DEVICE_TO_HOST);
                }
            }
        } finally {
            for (Range r : ranges.values()) {
                if (r.device != 0) {
                    pool.give(r.device);
                }
            }
            temporaries.forEach(pool::give);
        }
    }
}
