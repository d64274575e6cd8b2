package optlab.optim.internal;

import java.lang.foreign.MemorySegment;
import optlab.tensor.update.UpdateStage;

/**
 * An {@link UpdateStage} as the host kernels take it: the state buffers as raw host memory, element 0 of the range
 * at byte 0 of each (formulas on {@link UpdateStage.Kind}). The kernels switch on {@code kind} once per tile, never
 * per element.
 */
public record Stage(UpdateStage.Kind kind, double[] c, MemorySegment[] buf, boolean flag) {

    public static Stage of(UpdateStage.Kind kind, double... c) {
        return new Stage(kind, c, new MemorySegment[0], false);
    }

    /** The stage over host tensors, its buffers' memory from their offsets on. */
    static Stage of(UpdateStage s) {
        MemorySegment[] buf = new MemorySegment[s.buffers().length];
        for (int j = 0; j < buf.length; j++) {
            var t = s.buffers()[j];
            buf[j] = t == null ? null : t.segment().asSlice(t.offset() * t.dtype().byteSize());
        }
        return new Stage(s.kind(), s.c(), buf, s.flag());
    }
}
