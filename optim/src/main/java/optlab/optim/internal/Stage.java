package optlab.optim.internal;

import java.lang.foreign.MemorySegment;

/**
 * One transformation of a fused update pass, lowered for one step: which formula ({@link Kind}), its
 * scalar coefficients for this step (bias corrections and the like already folded in) and the state
 * buffers it reads and writes (flat, same element order as the parameters, element 0 at byte 0).
 * The kernels switch on {@code kind} once per tile, never per element.
 */
public record Stage(Kind kind, double[] c, MemorySegment[] buf, boolean flag) {

    /** The closed set of per-element formulas; u is the update being built, p the parameter. */
    public enum Kind {
        /** u = c0·u. */
        SCALE,
        /** u = u + c0·p. */
        ADD_DECAYED_WEIGHTS,
        /** b = c0·b + c1·u; u = c2·u + c3·b. buf: [b]. */
        MOMENTUM,
        /** m = c0·m + c1·u; v = c2·v + c3·u²; w = flag ? max(w, v) : v; u = c4·m / (c5·√w + c6). buf: [m, v, w]. */
        ADAM,
        /**
         * s = c0·s + c1·u²; a = c0·a + c1·u (flag: centered); u = u / (c3·√max(s − flag·a², 0) + c2). buf: [s, a].
         * (c3 = 1 except on a seeding first step, c3 = 0 with c2 = 1: u passes through.)
         */
        RMS,
        /** s = s + u²; u = u / (√s + c0). buf: [s]. */
        SUM_OF_SQUARES,
        /** u = k &gt; 0 ? u / k : 0, k read only (Path-SGD's κ: no path through an entry, no step). buf: [k]. */
        DIVIDE
    }

    public static Stage of(Kind kind, double... c) {
        return new Stage(kind, c, new MemorySegment[0], false);
    }
}
