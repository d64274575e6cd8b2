package optlab.experiments.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
        // Records stream into 8-bit off-heap pixels (see Pixels); a record is already [3, 32, 32] channel-major.
        Pixels pixels = Pixels.allocate(new int[] {n, CHANNELS, SIDE, SIDE}, dtype, norm, name, scope);
        Tensor targets = scope.empty(dtype, n);
        byte[] record = new byte[recordBytes()];
        int row = 0;
        for (Path f : files) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
                for (int r = 0; row < n && in.readNBytes(record, 0, record.length) == record.length; r++, row++) {
                    int label = record[labelIndex] & 0xff;
                    if (label >= numClasses) {
                        throw new IOException(f + ": record " + r + " has label " + label + ", not below " + numClasses
                                + " (a different CIFAR variant?)");
                    }
                    dtype.set(targets.segment(), row, label);
                    MemorySegment.copy(record, labelBytes, pixels.bytes(), ValueLayout.JAVA_BYTE, (long) row * PIXELS, PIXELS);
                }
            }
        }
        if (row != n) {
            throw new IOException(name + ": the files shrank while being read (" + row + " of " + n + " records)");
        }
        return new Dataset(name, pixels, 0, targets, numClasses);
    }
}
