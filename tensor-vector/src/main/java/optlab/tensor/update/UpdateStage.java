package optlab.tensor.update;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * One transformation of a fused optimizer update, lowered for one step: which formula ({@link Kind}), its scalar
 * coefficients for this step (bias corrections and the like already folded in) and the state buffers it reads and
 * writes, each a 1-D tensor element-aligned with the parameters being updated (null where the formula's flag leaves
 * a slot unused). The optim module lowers its transform chains to arrays of these; a backend applies them in one pass
 * ({@link optlab.tensor.backend.Backend#update}).
 */
public record UpdateStage(Kind kind, double[] c, Tensor[] buffers, boolean flag) {

    /**
     * The closed set of per-element formulas; u is the update being built (u = g before the first stage), p the
     * parameter. After the last stage p = p − lr·u, rounded once: p = fma(u, −lr, p). Arithmetic is in the
     * parameters' dtype, fused where the formula says fma, so every backend that follows it gives the same bits.
     * Device kernels switch on the ordinals: append new formulas, never reorder.
     */
    public enum Kind {
        /** u = c0·u. */
        SCALE(0),
        /** u = fma(p, c0, u). */
        ADD_DECAYED_WEIGHTS(0),
        /** b = fma(u, c1, c0·b); u = fma(b, c3, c2·u). buffers: [b]. */
        MOMENTUM(1),
        /**
         * m = fma(u, c1, c0·m); v = fma(u², c3, c2·v); w = flag ? max(w, v) : v; u = c4·m / fma(√w, c5, c6).
         * buffers: [m, v, w].
         */
        ADAM(3),
        /**
         * s = fma(u², c1, c0·s); a = fma(u, c1, c0·a) (flag: centered, then s = max(s − a², 0));
         * u = u / fma(√s, c3, c2). buffers: [s, a]. (c3 = 1 except on a seeding first step, c3 = 0 with c2 = 1: u
         * passes through.)
         */
        RMS(2),
        /** s = fma(u, u, s); u = u / (√s + c0). buffers: [s]. */
        SUM_OF_SQUARES(1),
        /** u = k &gt; 0 ? u / k : 0, k read only (Path-SGD's κ: no path through an entry, no step). buffers: [k]. */
        DIVIDE(1);

        private final int slots;

        Kind(int slots) {
            this.slots = slots;
        }

        /** Buffer slots the formula has (some may be null, see the formula). */
        public int slots() {
            return slots;
        }
    }

    public UpdateStage {
        if (buffers.length != kind.slots()) {
            throw new IllegalArgumentException(kind + " takes " + kind.slots() + " state buffers, got " + buffers.length);
        }
    }

    /** A stage with no state. */
    public static UpdateStage of(Kind kind, double... c) {
        return new UpdateStage(kind, c, new Tensor[kind.slots()], false);
    }

    /** The same stage over elements [from, from + n) of every buffer (a parameter group's range). */
    public UpdateStage slice(long from, long n) {
        Tensor[] b = buffers.clone();
        for (int j = 0; j < b.length; j++) {
            b[j] = b[j] == null ? null : b[j].slice(0, Math.toIntExact(from), Math.toIntExact(from + n));
        }
        return new UpdateStage(kind, c, b, flag);
    }

    @Override
    public String toString() {
        return kind + Arrays.toString(c) + (flag ? " (flag)" : "");
    }
}
