package optlab.experiments.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The CIFAR binary format: fixed-size records, each label byte(s) then a 32×32 image as 1024 red, 1024 green and
 * 1024 blue bytes (already channel-major, so a record's pixels are one [3, 32, 32] sample). CIFAR-10 has one
 * label byte; CIFAR-100 has a coarse then a fine label byte, and the fine label (100 classes) is used.
 */
public enum CifarFile {
    CIFAR10(1, 0, 10),
    CIFAR100(2, 1, 100);

    static final int CHANNELS = 3, SIDE = 32, PIXELS = CHANNELS * SIDE * SIDE;

    private final int labelBytes;
    private final int labelIndex;
    private final int numClasses;

    CifarFile(int labelBytes, int labelIndex, int numClasses) {
        this.labelBytes = labelBytes;
        this.labelIndex = labelIndex;
        this.numClasses = numClasses;
    }

    public int recordBytes() {
        return labelBytes + PIXELS;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Loads {@code files} in order into one dataset: features [N, 3, 32, 32], targets [N]. */
    public Dataset load(String name, List<Path> files, DType dtype, Normalization norm, Scope scope) throws IOException {
        long total = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (size == 0 || size % recordBytes() != 0) {
                throw new IOException(f + ": size " + size + " bytes is not a positive multiple of the " + recordBytes()
                        + "-byte " + this + " record (truncated, or a different CIFAR variant?)");
            }
            total += size / recordBytes();
        }
        int n = Math.toIntExact(total);
        Tensor features = scope.empty(dtype, n, CHANNELS, SIDE, SIDE);
        Tensor targets = scope.empty(dtype, n);
        double[][] tables = new double[CHANNELS][];
        for (int c = 0; c < CHANNELS; c++) {
            tables[c] = norm.table(c, CHANNELS, name);
        }
        int row = 0;
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            for (int r = 0; r < bytes.length / recordBytes(); r++, row++) {
                int at = r * recordBytes();
                int label = bytes[at + labelIndex] & 0xff;
                if (label >= numClasses) {
                    throw new IOException(f + ": record " + r + " has label " + label + ", not below " + numClasses
                            + " (a different CIFAR variant?)");
                }
                dtype.set(targets.segment(), row, label);
                for (int c = 0; c < CHANNELS; c++) {
                    Pixels.store(bytes, at + labelBytes + c * SIDE * SIDE, features,
                            (long) row * PIXELS + c * SIDE * SIDE, SIDE * SIDE, tables[c]);
                }
            }
        }
        return new Dataset(name, features, targets, numClasses);
    }
}
