package optlab.experiments.data;

import java.util.SplittableRandom;
import optlab.tensor.Gaussian;

/**
 * K-class Gaussian mixture classification in D dimensions: class k ~ uniform{0..K−1}, x = μ_k + σ·ε with
 * ε ~ N(0, I). The means μ_k ~ N(0, (s²/D)·I) are drawn once from {@code seed}, so two means lie about s·√2
 * apart whatever D is; larger {@code separation} s or smaller {@code noise} σ makes the task easier.
 */
public final class GaussianMixture implements Synthetic {
    private final int classes;
    private final int dim;
    private final double separation;
    private final double noise;
    private final long seed;
    private final double[][] means;

    public GaussianMixture(int classes, int dim, double separation, double noise, long seed) {
        if (classes < 2 || dim < 1 || !(separation >= 0) || !(noise >= 0)
                || Double.isInfinite(separation) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("GaussianMixture: need classes >= 2, dim >= 1, finite separation >= 0"
                    + " and noise >= 0; got classes " + classes + ", dim " + dim + ", separation " + separation
                    + ", noise " + noise);
        }
        this.classes = classes;
        this.dim = dim;
        this.separation = separation;
        this.noise = noise;
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        double scale = separation / Math.sqrt(dim);
        means = new double[classes][dim];
        for (double[] m : means) {
            for (int j = 0; j < dim; j++) {
                m[j] = scale * Gaussian.next(rng);
            }
        }
    }

    /** Mean of class {@code k} (a copy). */
    public double[] mean(int k) {
        return means[k].clone();
    }

    @Override
    public int[] sampleShape() {
        return new int[] {dim};
    }

    @Override
    public int[] targetShape() {
        return new int[0];
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public void sample(SplittableRandom rng, double[] x, double[] y) {
        int k = rng.nextInt(classes);
        double[] m = means[k];
        for (int j = 0; j < dim; j++) {
            x[j] = m[j] + noise * Gaussian.next(rng);
        }
        y[0] = k;
    }

    @Override
    public String describe() {
        return "gaussian-mixture(K " + classes + ", D " + dim + ", separation " + separation + ", noise " + noise
                + ", seed " + seed + ")";
    }
}
