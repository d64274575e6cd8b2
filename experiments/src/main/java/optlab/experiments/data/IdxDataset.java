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
        IdxFile img = IdxFile.read(images), lab = IdxFile.read(labels);
        if (img.dims().length != 3) {
            throw new IOException(images + ": expected IDX images [N, H, W], got dimensions " + Arrays.toString(img.dims()));
        }
        if (lab.dims().length != 1) {
            throw new IOException(labels + ": expected IDX labels [N], got dimensions " + Arrays.toString(lab.dims()));
        }
        if (img.count() != lab.count()) {
            throw new IOException("image-label count mismatch: " + images + " has " + img.count() + " images but "
                    + labels + " has " + lab.count() + " labels");
        }
        int n = img.count(), h = img.dims()[1], w = img.dims()[2];
        Tensor features = scope.empty(dtype, n, 1, h, w);
        Pixels.store(img.data(), 0, features, 0, img.data().length, norm.table(0, 1, images.toString()));
        Tensor targets = scope.empty(dtype, n);
        byte[] l = lab.data();
        for (int i = 0; i < n; i++) {
            int c = l[i] & 0xff;
            if (c >= numClasses) {
                throw new IOException(labels + ": label " + c + " at index " + i + " is not below " + numClasses);
            }
            dtype.set(targets.segment(), i, c);
        }
        return new Dataset(name, features, targets, numClasses);
    }
}
