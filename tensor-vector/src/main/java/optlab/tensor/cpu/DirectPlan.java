package optlab.tensor.cpu;

/**
 * The flat layout of a convolution computed directly. The zero-padded image (hp × wp) is split into
 * sh·sw phase planes, phase (a, b) holding padded rows a, a + sh, … and columns b, b + sw, …, each
 * {@link #rows} × {@link #pitch}, one plane every {@link #planeStride} elements, channel-major. Output
 * pixel (p, q) is flat position t = p·pitch + q, and tap (c, i, j) reads phase (i mod sh, j mod sw)
 * of channel c at t + (i / sh)·pitch + j / sw: a run of consecutive t is a run of consecutive inputs
 * for every tap, so vectors need no masks or gathers, whatever the stride. The pitch − wout positions
 * at the end of each output row are junk, computed and thrown away. With stride 1 there is one phase,
 * the padded image itself.
 *
 * @param cin  input channels
 * @param cout output channels
 */
record DirectPlan(int cin, int cout, int kh, int kw, int hp, int wp, int sh, int sw) {
    /** Rows of a phase plane. */
    int rows() {
        return (hp + sh - 1) / sh;
    }

    /** Row length of a phase plane and of the flat output. */
    int pitch() {
        return (wp + sw - 1) / sw;
    }

    /** Output rows. */
    int hout() {
        return (hp - kh) / sh + 1;
    }

    /** Output columns kept per row. */
    int wout() {
        return (wp - kw) / sw + 1;
    }

    /** Elements from one phase plane to the next. */
    int planeStride() {
        return rows() * pitch();
    }

    /** Phase planes in all. */
    int planes() {
        return cin * sh * sw;
    }

    int taps() {
        return kh * kw;
    }

    /** Flat output positions, junk columns included. */
    int flat() {
        return hout() * pitch();
    }

    /** Offsets into the staged input of every tap (c, i, j), in weight order. */
    void offsets(int[] into) {
        int planeStride = planeStride(), pitch = pitch();
        for (int c = 0, u = 0; c < cin; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int plane = (c * sh + i % sh) * sw + j % sw;
                    into[u++] = plane * planeStride + i / sh * pitch + j / sw;
                }
            }
        }
    }
}
