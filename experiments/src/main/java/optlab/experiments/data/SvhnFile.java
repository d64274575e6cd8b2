package optlab.experiments.data;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * SVHN's "cropped digits" files as published ({@code train_32x32.mat}, {@code test_32x32.mat}, {@code
 * extra_32x32.mat}): MAT-files ({@link MatFile}) holding {@code X}, uint8 [32, 32, 3, N] in MATLAB's column-major
 * order (row, column, channel, sample), and {@code y}, [N, 1] labels 1..10 where 10 stands for the digit 0.
 * Loaded as features [N, 3, 32, 32] and targets 0..9 (10 → 0, as torchvision does).
 */
public final class SvhnFile {
    private SvhnFile() {
    }

    public static Dataset load(String name, Path file, DType dtype, Normalization norm, Scope scope) throws IOException {
        Map<String, MatFile.Array> vars = MatFile.read(file);
        MatFile.Array x = vars.get("X"), y = vars.get("y");
        if (x == null || y == null) {
            throw new IOException(file + ": expected SVHN variables X and y, found " + vars.keySet());
        }
        int[] d = x.dims();
        if (d.length != 4 || !x.isBytes()) {
            throw new IOException(file + ": X must be uint8 [H, W, C, N], got " + x);
        }
        int h = d[0], w = d[1], c = d[2], n = d[3];
        if (y.numel() != n) {
            throw new IOException(file + ": y has " + y.numel() + " labels for " + n + " images " + Arrays.toString(y.dims()));
        }
        Pixels pixels = Pixels.allocate(new int[] {n, c, h, w}, dtype, norm, file.toString(), scope);
        Tensor targets = scope.empty(dtype, n);
        byte[] src = x.bytes();
        int plane = h * w;
        byte[] sample = new byte[plane];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                // Column-major plane (row fastest) -> row-major [H, W].
                int base = (i * c + ch) * plane;
                for (int col = 0; col < w; col++) {
                    for (int row = 0; row < h; row++) {
                        sample[row * w + col] = src[base + col * h + row];
                    }
                }
                MemorySegment.copy(sample, 0, pixels.bytes(), ValueLayout.JAVA_BYTE, (long) base, plane);
            }
        }
        for (int i = 0; i < n; i++) {
            double label = y.get(i);
            if (label != Math.rint(label) || label < 0 || label > 10) {
                throw new IOException(file + ": label " + label + " at index " + i + " is not one of 1..10");
            }
            dtype.set(targets.segment(), i, label == 10 ? 0 : label);
        }
        return new Dataset(name, pixels, 0, targets, 10);
    }
}
