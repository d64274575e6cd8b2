package optlab.experiments.data;

import java.util.Arrays;

/**
 * How 8-bit pixels become numbers: x = (p / 255 − mean[c]) / std[c] per channel c. The default, {@link #unit()},
 * is mean 0 and std 1, i.e. pixels scaled to [0, 1]. One mean/std pair applies to every channel.
 */
public record Normalization(double[] mean, double[] std) {
    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalization: need one std per mean, got mean " + Arrays.toString(mean)
                    + " and std " + Arrays.toString(std));
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("Normalization: std must be positive and finite, got "
                        + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** Pixels divided by 255, nothing else. */
    public static Normalization unit() {
        return new Normalization(new double[] {0}, new double[] {1});
    }

    /** The 256 values that pixel bytes 0..255 of channel {@code c} (of {@code channels}) map to. */
    double[] table(int c, int channels, String source) {
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException(source + ": normalization has " + mean.length
                    + " channel means but the images have " + channels + " channels");
        }
        int k = mean.length == 1 ? 0 : c;
        double[] t = new double[256];
        for (int p = 0; p < 256; p++) {
            t[p] = (p / 255.0 - mean[k]) / std[k];
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
