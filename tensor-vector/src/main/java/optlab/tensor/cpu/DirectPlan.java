package optlab.tensor.cpu;

/**
 * The flat layout of a stride-1 convolution computed directly: each input plane sits zero-padded in a
 * buffer, hp rows of pitch wp, one plane every {@link #planeStride} elements. Output pixel (p, q) is
 * then flat position t = p·wp + q, and tap (c, i, j) reads input position t + c·planeStride + i·wp + j,
 * so a run of consecutive t is a run of consecutive inputs for every tap: vectors need no masks or
 * gathers. The wp − wout positions at the end of each output row are junk, computed and thrown away.
 *
 * @param cin  input planes
 * @param cout output planes
 */
record DirectPlan(int cin, int cout, int kh, int kw, int hp, int wp) {
    /** Output rows. */
    int hout() {
        return hp - kh + 1;
    }

    /** Output columns kept per row. */
    int wout() {
        return wp - kw + 1;
    }

    /** Elements from one padded input plane to the next. */
    int planeStride() {
        return hp * wp;
    }

    int taps() {
        return kh * kw;
    }

    /** Flat output positions, junk columns included. */
    int flat() {
        return hout() * wp;
    }

    /** Offsets into the padded input of every tap (c, i, j), in weight order. */
    void offsets(int[] into) {
        for (int c = 0, u = 0; c < cin; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    into[u++] = c * planeStride() + i * wp + j;
                }
            }
        }
    }
}
