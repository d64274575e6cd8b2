package optlab.tensor.backend;

/** Geometry of a 2-D convolution (PyTorch semantics: cross-correlation, zero padding, groups = 1). */
public record Conv2dSpec(int strideH, int strideW, int padH, int padW) {
    public Conv2dSpec {
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("invalid conv2d geometry: stride " + strideH + "x" + strideW
                    + ", padding " + padH + "x" + padW);
        }
    }

    public static Conv2dSpec of(int stride, int padding) {
        return new Conv2dSpec(stride, stride, padding, padding);
    }

    /** Output size along one axis for input size {@code in} and kernel size {@code k}. */
    public static int outSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }
}
