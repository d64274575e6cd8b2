package optlab.experiments.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/** An image classification set from a pair of IDX files (MNIST layout): images [N, H, W] and labels [N]. */
public final class IdxDataset {
    private IdxDataset() {
    }

    /**
     * Loads {@code images} and {@code labels} into {@code scope} as features [N, 1, H, W] and targets [N].
     * Fails naming the file when either is malformed, when the counts differ, or when a label is not below
     * {@code numClasses}.
     */
    public static Dataset load(String name, Path images, Path labels, int numClasses, DType dtype,
                               Normalization norm, Scope scope) throws IOException {
        // Pixels stream from the file into 8-bit off-heap storage (see Pixels): no whole-file copy on the heap.
        Pixels[] pixels = new Pixels[1];
        int[] dims = IdxFile.read(images, d -> {
            if (d.length != 3) {
                throw new IOException(images + ": expected IDX images [N, H, W], got dimensions " + Arrays.toString(d));
            }
            pixels[0] = Pixels.allocate(new int[] {d[0], 1, d[1], d[2]}, dtype, norm, images.toString(), scope);
            return pixels[0].bytes();
        });
        IdxFile lab = IdxFile.read(labels);
        if (lab.dims().length != 1) {
            throw new IOException(labels + ": expected IDX labels [N], got dimensions " + Arrays.toString(lab.dims()));
        }
        if (dims[0] != lab.count()) {
            throw new IOException("image-label count mismatch: " + images + " has " + dims[0] + " images but "
                    + labels + " has " + lab.count() + " labels");
        }
        int n = dims[0];
        Tensor targets = scope.empty(dtype, n);
        byte[] l = lab.data();
        for (int i = 0; i < n; i++) {
            int c = l[i] & 0xff;
            if (c >= numClasses) {
                throw new IOException(labels + ": label " + c + " at index " + i + " is not below " + numClasses);
            }
            dtype.set(targets.segment(), i, c);
        }
        return new Dataset(name, pixels[0], 0, targets, numClasses);
    }
}
