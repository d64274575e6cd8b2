package optlab.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Element type of a tensor: F32 is the working type, F64 serves runs where float32 loses updates. */
public enum DType {
    F32(ValueLayout.JAVA_FLOAT_UNALIGNED),
    F64(ValueLayout.JAVA_DOUBLE_UNALIGNED);

    private final ValueLayout layout;

    DType(ValueLayout layout) {
        this.layout = layout;
    }

    /** Bytes per element. */
    public int byteSize() {
        return (int) layout.byteSize();
    }

    public ValueLayout layout() {
        return layout;
    }

    /** Reads element {@code index} (in elements, not bytes) widened to double. */
    public double get(MemorySegment segment, long index) {
        return this == F32
                ? segment.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index)
                : segment.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index);
    }

    /** Writes element {@code index}, rounding to this type. */
    public void set(MemorySegment segment, long index, double value) {
        if (this == F32) {
            segment.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index, (float) value);
        } else {
            segment.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index, value);
        }
    }
}
