package optlab.experiments.data;

import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Labels;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * A finite labelled sample set of one dtype: features [N, ...] (images are [N, C, H, W]) and {@code targets},
 * either [N] class indices stored as numbers (as the cross-entropy kernel takes them, made with {@link Labels};
 * {@code numClasses > 0}) or
 * [N, T] regression targets ({@code numClasses == 0}). Targets are a contiguous off-heap tensor; features are one
 * too, or, for image files, their 8-bit pixels ({@link Pixels}, a quarter of F32's memory) that become numbers
 * when rows are copied out ({@link #copyFeatures}, {@link #featureRows}). Either way the numbers are the same.
 * A dataset does not own its memory: the {@link Scope} that made it does.
 */
public final class Dataset {
    private final String name;
    private final Tensor features;
    private final Pixels pixels;
    private final int first;
    private final Tensor targets;
    private final int numClasses;

    public Dataset(String name, Tensor features, Tensor targets, int numClasses) {
        if (features.rank() < 1 || !features.isContiguous() || !targets.isContiguous()) {
            throw new IllegalArgumentException("dataset " + name + ": features and targets must be contiguous with a"
                    + " leading sample axis, got " + features + " and " + targets);
        }
        if (targets.dtype() != features.dtype()) {
            throw new IllegalArgumentException("dataset " + name + ": features " + features + " and targets " + targets
                    + " must share a dtype");
        }
        checkTargets(name, targets, features.dim(0), numClasses, Arrays.toString(features.shape()));
        if (numClasses > 0) {
            Labels.check(targets, numClasses, "dataset " + name); // a label out of range fails here, not in a later batch
        }
        this(name, features, null, 0, targets, numClasses);
    }

    /** Rows [first, first + targets.dim(0)) of {@code pixels}. */
    Dataset(String name, Pixels pixels, int first, Tensor targets, int numClasses) {
        if (!targets.isContiguous() || targets.dtype() != pixels.dtype()) {
            throw new IllegalArgumentException("dataset " + name + ": targets " + targets + " must be contiguous and"
                    + " share the dtype of " + pixels);
        }
        checkTargets(name, targets, targets.rank() < 1 || first + targets.dim(0) > pixels.size() ? -1 : targets.dim(0),
                numClasses, Arrays.toString(pixels.shape()));
        this(name, null, pixels, first, targets, numClasses);
    }

    private Dataset(String name, Tensor features, Pixels pixels, int first, Tensor targets, int numClasses) {
        this.name = name;
        this.features = features;
        this.pixels = pixels;
        this.first = first;
        this.targets = targets;
        this.numClasses = numClasses;
    }

    private static void checkTargets(String name, Tensor targets, int n, int numClasses, String features) {
        boolean classes = numClasses > 0;
        if (targets.rank() != (classes ? 1 : 2) || targets.dim(0) != n || numClasses < 0) {
            throw new IllegalArgumentException("dataset " + name + ": targets " + Arrays.toString(targets.shape())
                    + " do not fit features " + features + " with numClasses " + numClasses
                    + " (expected [N] class indices, or [N, T] regression targets with numClasses 0)");
        }
    }

    public String name() {
        return name;
    }

    /**
     * The features as one contiguous tensor [N, ...]. For 8-bit images the first call decodes the whole set (of
     * which this dataset may be a row range) into the loading scope and keeps it; batch loops use
     * {@link #copyFeatures} or {@link #featureRows} instead and never pay for that copy.
     */
    public Tensor features() {
        return features != null ? features : pixels.decoded().slice(0, first, first + size());
    }

    public Tensor targets() {
        return targets;
    }

    public int numClasses() {
        return numClasses;
    }

    /** The dtype of features and targets. */
    public DType dtype() {
        return targets.dtype();
    }

    /** Number of samples N. */
    public int size() {
        return targets.dim(0);
    }

    /** Shape of one sample, e.g. [1, 28, 28]. */
    public int[] sampleShape() {
        int[] s = features != null ? features.shape() : pixels.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** Elements per sample (784 for a 28×28 image). */
    public long sampleNumel() {
        return product(sampleShape());
    }

    /** Shape of one target: [] for a class index, [T] for regression. */
    public int[] targetShape() {
        return Arrays.copyOfRange(targets.shape(), 1, targets.rank());
    }

    public boolean isClassification() {
        return numClasses > 0;
    }

    /**
     * Copies the features of rows [from, from + count) into rows [to, to + count) of {@code dst}, a contiguous
     * [B, sample...] tensor of this dtype.
     */
    public void copyFeatures(int from, int count, Tensor dst, int to) {
        int[] sample = sampleShape();
        if (dst.rank() != sample.length + 1 || !Arrays.equals(Arrays.copyOfRange(dst.shape(), 1, dst.rank()), sample)
                || !dst.isContiguous() || dst.dtype() != dtype()) {
            throw new IllegalArgumentException("Dataset.copyFeatures: dst must be a contiguous " + dtype() + " [B, "
                    + Arrays.toString(sample).substring(1) + " tensor, got " + dst);
        }
        if (count < 0 || from < 0 || from + count > size() || to < 0 || to + count > dst.dim(0)) {
            throw new IllegalArgumentException("Dataset.copyFeatures: " + count + " rows from row " + from + " of "
                    + name + " (" + size() + " samples) into row " + to + " of dst " + Arrays.toString(dst.shape())
                    + " out of range");
        }
        if (features != null) {
            Rows.copy(features, from, dst, to, count);
        } else {
            pixels.decode((long) first + from, count, dst, to);
        }
    }

    /**
     * The features of rows [from, to) as a contiguous tensor: a view when they are stored as numbers, else decoded
     * into a new tensor of {@code scope} (a per-batch scope on a pool reuses that buffer).
     */
    public Tensor featureRows(int from, int to, Scope scope) {
        checkRange(from, to);
        if (features != null) {
            return features.slice(0, from, to);
        }
        int[] s = pixels.shape();
        s[0] = to - from;
        Tensor t = scope.empty(dtype(), s);
        pixels.decode((long) first + from, to - from, t, 0);
        return t;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) in file order, as views sharing this memory. */
    public Dataset rows(int from, int to) {
        checkRange(from, to);
        String n = name + "[" + from + ":" + to + "]";
        return features != null ? new Dataset(n, features.slice(0, from, to), targets.slice(0, from, to), numClasses)
                : new Dataset(n, pixels, first + from, targets.slice(0, from, to), numClasses);
    }

    /** The 8-bit pixel store behind the features, or null when they are stored as numbers. */
    Pixels pixels() {
        return pixels;
    }

    /** The given rows (in that order) copied into {@code scope}, stored as this dataset stores them. */
    Dataset gather(String newName, int[] rows, Scope scope) {
        int[] ts = targets.shape();
        ts[0] = rows.length;
        Tensor t = scope.empty(dtype(), ts);
        for (int i = 0; i < rows.length; i++) {
            Rows.copy(targets, rows[i], t, i, 1);
        }
        if (features == null) {
            int[] abs = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                abs[i] = first + rows[i];
            }
            return new Dataset(newName, pixels.gather(abs, scope), 0, t, numClasses);
        }
        int[] fs = features.shape();
        fs[0] = rows.length;
        Tensor f = scope.empty(dtype(), fs);
        for (int i = 0; i < rows.length; i++) {
            Rows.copy(features, rows[i], f, i, 1);
        }
        return new Dataset(newName, f, t, numClasses);
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("dataset " + name + ": rows [" + from + ", " + to + ") out of range for "
                    + size() + " samples");
        }
    }

    private static long product(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Dataset(" + name + ", features " + (features != null ? features : "[" + size() + " rows of " + pixels + "]")
                + ", targets " + targets + (isClassification() ? ", " + numClasses + " classes)" : ", regression)");
    }
}
