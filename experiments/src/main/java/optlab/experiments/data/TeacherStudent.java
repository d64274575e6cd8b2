package optlab.experiments.data;

import java.util.SplittableRandom;
import optlab.tensor.Gaussian;

/**
 * Teacher–student regression: inputs x ~ N(0, I_D) and targets from a random one-hidden-layer teacher,
 * y = (1/√H) Σ_h a_h·φ(w_h·x) + σ·ε, with w_h ~ N(0, I_D/D) (so w_h·x is O(1)), a_h ~ N(0, 1), no biases, and
 * the teacher drawn once from {@code seed}. Computed in plain double arithmetic, independent of the model code.
 */
public final class TeacherStudent implements Synthetic {
    /** The teacher's hidden nonlinearity φ. */
    public enum Activation {
        TANH, RELU;

        double apply(double z) {
            return this == TANH ? Math.tanh(z) : Math.max(0, z);
        }
    }

    private final int dim;
    private final int hidden;
    private final Activation activation;
    private final double noise;
    private final long seed;
    private final double[][] w;  // [H][D]
    private final double[] a;    // [H]

    public TeacherStudent(int dim, int hidden, Activation activation, double noise, long seed) {
        if (dim < 1 || hidden < 1 || !(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("TeacherStudent: need dim >= 1, hidden >= 1 and finite noise >= 0; got dim "
                    + dim + ", hidden " + hidden + ", noise " + noise);
        }
        this.dim = dim;
        this.hidden = hidden;
        this.activation = activation;
        this.noise = noise;
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        double ws = 1 / Math.sqrt(dim);
        w = new double[hidden][dim];
        a = new double[hidden];
        for (int h = 0; h < hidden; h++) {
            for (int j = 0; j < dim; j++) {
                w[h][j] = ws * Gaussian.next(rng);
            }
            a[h] = Gaussian.next(rng);
        }
    }

    /** The noiseless teacher output for input {@code x} (length D). */
    public double teacher(double[] x) {
        double sum = 0;
        for (int h = 0; h < hidden; h++) {
            double z = 0;
            for (int j = 0; j < dim; j++) {
                z += w[h][j] * x[j];
            }
            sum += a[h] * activation.apply(z);
        }
        return sum / Math.sqrt(hidden);
    }

    @Override
    public int[] sampleShape() {
        return new int[] {dim};
    }

    @Override
    public int[] targetShape() {
        return new int[] {1};
    }

    @Override
    public int numClasses() {
        return 0;
    }

    @Override
    public void sample(SplittableRandom rng, double[] x, double[] y) {
        for (int j = 0; j < dim; j++) {
            x[j] = Gaussian.next(rng);
        }
        y[0] = teacher(x) + noise * Gaussian.next(rng);
    }

    @Override
    public String describe() {
        return "teacher-student(D " + dim + ", H " + hidden + ", " + activation.name().toLowerCase(java.util.Locale.ROOT)
                + ", noise " + noise + ", seed " + seed + ")";
    }
}
