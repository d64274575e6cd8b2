package optlab.tensor.cpu;

/**
 * Which output columns q of a sliding window see input column q·stride − pad + j inside [0, w): the
 * range every convolution and pooling loop clips to once, so its inner loop needs no bounds tests.
 */
final class Windows {
    private Windows() {
    }

    /** First output column q with q·stride − pad + j ≥ 0, clamped to [0, wo]. */
    static int first(int j, int pad, int stride, int wo) {
        int need = pad - j;
        return need <= 0 ? 0 : Math.min(wo, (need + stride - 1) / stride);
    }

    /** One past the last output column q with q·stride − pad + j &lt; w, clamped to [0, wo]. */
    static int end(int j, int pad, int stride, int w, int wo) {
        int lim = w - 1 + pad - j;
        return lim < 0 ? 0 : Math.min(wo, lim / stride + 1);
    }
}
