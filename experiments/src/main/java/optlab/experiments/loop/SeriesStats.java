package optlab.experiments.loop;

import java.util.Arrays;

/** Robust summaries of a per-step series (NaN entries, e.g. the undefined last cosine, are left out). */
public final class SeriesStats {
    private SeriesStats() {
    }

    /** The finite values of {@code x}. */
    public static double[] finite(double[] x) {
        return Arrays.stream(x).filter(Double::isFinite).toArray();
    }

    /** Median of the finite values; NaN when there are none. */
    public static double median(double[] x) {
        double[] f = finite(x);
        if (f.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(f);
        int n = f.length;
        return n % 2 == 1 ? f[n / 2] : 0.5 * (f[n / 2 - 1] + f[n / 2]);
    }

    /** The fraction of finite values above 0; NaN when there are none. */
    public static double fractionPositive(double[] x) {
        double[] f = finite(x);
        return f.length == 0 ? Double.NaN : (double) Arrays.stream(f).filter(v -> v > 0).count() / f.length;
    }

    /** Entries [⌊from·n⌋, max(that + 1, ⌈to·n⌉)) of {@code x}: a share of a series by position (at least one entry). */
    public static double[] window(double[] x, double from, double to) {
        int n = x.length;
        if (n == 0) {
            return x;
        }
        int a = Math.min(n - 1, (int) Math.floor(from * n));
        int b = Math.min(n, Math.max(a + 1, (int) Math.ceil(to * n)));
        return Arrays.copyOfRange(x, a, b);
    }
}
