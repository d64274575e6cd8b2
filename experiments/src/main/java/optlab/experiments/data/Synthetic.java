package optlab.experiments.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * A synthetic task: a fixed distribution (its parameters drawn once from the task's own seed) from which samples
 * are drawn with a separate sample seed. The same sample seed gives the same samples, as a finite
 * {@link #dataset} or as an endless {@link #stream}; {@code dataset(n, seed)} holds the first n samples of
 * {@code stream(seed)}.
 */
public interface Synthetic {
    /** Shape of one feature vector: [D]. */
    int[] sampleShape();

    /** [] for a class index, [T] for regression targets. */
    int[] targetShape();

    /** Number of classes, or 0 for regression. */
    int numClasses();

    /** Draws one sample: features into {@code x} (length D), target into {@code y} (length max(1, T)). */
    void sample(SplittableRandom rng, double[] x, double[] y);

    /** A short description with the parameters, used as the dataset name. */
    String describe();

    /** {@code n} samples drawn with {@code sampleSeed}, in new tensors of {@code scope}. */
    default Dataset dataset(int n, DType dtype, long sampleSeed, Scope scope) {
        Tensor x = scope.empty(dtype, prepend(n, sampleShape()));
        Tensor y = scope.empty(dtype, prepend(n, targetShape()));
        fill(this, new SplittableRandom(sampleSeed), x, y);
        return new Dataset(describe() + "/seed " + sampleSeed, x, y, numClasses());
    }

    /** The endless stream of samples drawn with {@code sampleSeed}. */
    default DataStream stream(long sampleSeed) {
        Synthetic task = this;
        SplittableRandom rng = new SplittableRandom(sampleSeed);
        return new DataStream() {
            @Override
            public int[] sampleShape() {
                return task.sampleShape();
            }

            @Override
            public int[] targetShape() {
                return task.targetShape();
            }

            @Override
            public int numClasses() {
                return task.numClasses();
            }

            @Override
            public void next(Tensor x, Tensor y) {
                fill(task, rng, x, y);
            }

            @Override
            public String toString() {
                return "stream(" + task.describe() + ", seed " + sampleSeed + ")";
            }
        };
    }

    /** Draws x.dim(0) samples into contiguous {@code x} [B, D] and {@code y} [B] or [B, T]. */
    private static void fill(Synthetic task, SplittableRandom rng, Tensor x, Tensor y) {
        int b = x.rank() == 0 ? 0 : x.dim(0);
        int[] xs = prepend(b, task.sampleShape()), ys = prepend(b, task.targetShape());
        if (!x.isContiguous() || !y.isContiguous() || x.dtype() != y.dtype()
                || !Arrays.equals(x.shape(), xs) || !Arrays.equals(y.shape(), ys)) {
            throw new IllegalArgumentException(task.describe() + ": batch tensors must be contiguous, of one dtype, "
                    + "with shapes " + Arrays.toString(xs) + " and " + Arrays.toString(ys) + "; got " + x + " and " + y);
        }
        int d = 1;
        for (int s : task.sampleShape()) {
            d *= s;
        }
        int t = task.targetShape().length == 0 ? 1 : task.targetShape()[0];
        double[] xr = new double[d], yr = new double[t];
        DType dt = x.dtype();
        for (int i = 0; i < b; i++) {
            task.sample(rng, xr, yr);
            for (int j = 0; j < d; j++) {
                dt.set(x.segment(), x.offset() + (long) i * d + j, xr[j]);
            }
            for (int j = 0; j < t; j++) {
                dt.set(y.segment(), y.offset() + (long) i * t + j, yr[j]);
            }
        }
    }

    private static int[] prepend(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
