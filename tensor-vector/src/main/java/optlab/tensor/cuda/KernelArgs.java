package optlab.tensor.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A kernel's arguments as kernels.cu declares them: one struct of 8-byte slots (i64, u64 addresses, double)
 * passed by value. {@link #marshal} lays the slots out and returns cuLaunchKernel's {@code void**
 * kernelParams}: a one-entry array pointing at the struct.
 */
final class KernelArgs {
    /** Length of every shape and stride array in the argument structs (kernels.cu's MAX_RANK). */
    static final int MAX_RANK = 8;

    private long[] slots = new long[32];
    private int size;

    KernelArgs i64(long v) {
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, size * 2);
        }
        slots[size++] = v;
        return this;
    }

    KernelArgs f64(double v) {
        return i64(Double.doubleToRawLongBits(v));
    }

    /** A device address (u64). */
    KernelArgs ptr(long address) {
        return i64(address);
    }

    /** An i64[MAX_RANK] array: the values, then zeros. */
    KernelArgs i64s(long[] values) {
        return i64s(values, MAX_RANK);
    }

    /** An i64[length] array (e.g. the 4 strides of an image): the values, then zeros. */
    KernelArgs i64s(long[] values, int length) {
        if (values.length > length) {
            throw new IllegalArgumentException("rank " + values.length + " exceeds the CUDA kernels' limit of " + length);
        }
        for (int i = 0; i < length; i++) {
            i64(i < values.length ? values[i] : 0);
        }
        return this;
    }

    /** Number of 8-byte slots so far. */
    int slots() {
        return size;
    }

    /** The struct in {@code arena} and the kernelParams array pointing at it. */
    MemorySegment marshal(Arena arena) {
        MemorySegment struct = arena.allocate(8L * Math.max(1, size), 8);
        for (int i = 0; i < size; i++) {
            struct.setAtIndex(ValueLayout.JAVA_LONG, i, slots[i]);
        }
        MemorySegment params = arena.allocate(ValueLayout.ADDRESS);
        params.set(ValueLayout.ADDRESS, 0, struct);
        return params;
    }
}
