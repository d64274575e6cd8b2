package optlab.tensor.backend;

/**
 * Geometry of 2-D pooling (PyTorch semantics: floor mode; average pooling counts padded zeros,
 * i.e. {@code count_include_pad=True}; max pooling ignores padding).
 */
public record Pool2dSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
    public Pool2dSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0
                || 2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException("invalid pool2d geometry: kernel " + kernelH + "x" + kernelW
                    + ", stride " + strideH + "x" + strideW + ", padding " + padH + "x" + padW
                    + " (padding may be at most half the kernel)");
        }
    }

    /** Square kernel {@code k}, stride {@code k}, no padding. */
    public static Pool2dSpec of(int k) {
        return new Pool2dSpec(k, k, k, k, 0, 0);
    }

    public int outH(int h) {
        return (h + 2 * padH - kernelH) / strideH + 1;
    }

    public int outW(int w) {
        return (w + 2 * padW - kernelW) / strideW + 1;
    }
}
