package optlab.experiments.pathsgd;

import optlab.experiments.run.RunFolder;
import java.nio.file.Path;
import optlab.experiments.plot.CsvTable;

/**
 * A run's per-epoch curves from its evals.csv: epoch, training cross-entropy and error (on the first
 * eval_train_samples of the training split), validation error, test error (errors as fractions), path norm (NaN
 * where not logged). Row 0 is the initial model.
 */
public record Curves(double[] epoch, double[] trainLoss, double[] trainError, double[] validationError,
        double[] testError, double[] pathNorm) {

    public static Curves read(Path runFolder) {
        CsvTable t = CsvTable.read(runFolder.resolve(RunFolder.EVALS));
        return new Curves(t.values(t.requireColumn("epoch")), t.values(t.requireColumn("train_loss")),
                error(t, "train_acc"), error(t, "val_acc"), error(t, "test_acc"), column(t, "path_norm"));
    }

    private static double[] error(CsvTable t, String accuracy) {
        double[] a = column(t, accuracy);
        for (int i = 0; i < a.length; i++) {
            a[i] = 1 - a[i];
        }
        return a;
    }

    private static double[] column(CsvTable t, String name) {
        int c = t.column(name);
        if (c >= 0) {
            return t.values(c);
        }
        double[] nan = new double[t.rows().size()];
        java.util.Arrays.fill(nan, Double.NaN);
        return nan;
    }

    public int size() {
        return epoch.length;
    }

    /** The last value of {@code v} (NaN when empty). */
    static double last(double[] v) {
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    /** The first epoch at which {@code v} is at or below {@code target}, or NaN if never. */
    double firstEpochAtOrBelow(double[] v, double target) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] <= target) {
                return epoch[i];
            }
        }
        return Double.NaN;
    }

    /** Index of the smallest finite value of {@code v}, or -1. */
    static int argmin(double[] v) {
        int best = -1;
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i]) && (best < 0 || v[i] < v[best])) {
                best = i;
            }
        }
        return best;
    }
}
