package optlab.experiments.plot;

/**
 * The evaluation rows of a run ({@code evals.csv}): at each evaluation, the step and epoch it was
 * taken at and the train/test loss and accuracy; a metric the run did not measure is NaN.
 */
record Evals(double[] step, double[] epoch, double[] trainLoss, double[] trainAcc, double[] testLoss, double[] testAcc) {

    static final Evals NONE = new Evals(new double[0], new double[0], new double[0], new double[0], new double[0], new double[0]);

    /** Reads a table with a {@code step} column; the other columns may be absent (all NaN) or have empty cells. */
    static Evals of(CsvTable t) {
        int n = t.rows().size();
        return new Evals(t.values(t.requireColumn("step")), column(t, "epoch", n), column(t, "train_loss", n),
                column(t, "train_acc", n), column(t, "test_loss", n), column(t, "test_acc", n));
    }

    private static double[] column(CsvTable t, String name, int n) {
        int c = t.column(name);
        if (c >= 0) {
            return t.values(c);
        }
        double[] nan = new double[n];
        java.util.Arrays.fill(nan, Double.NaN);
        return nan;
    }

    boolean isEmpty() {
        return step.length == 0;
    }

    /**
     * Epoch at each of {@code steps}, by linear interpolation through (0, 0) and the (step, epoch)
     * pairs of the evaluations; beyond the last evaluation it extrapolates at the last rate. This puts
     * per-step training loss on an epoch axis without the steps file having to carry epochs.
     *
     * @throws PlotException when no evaluation has both a step and a positive epoch
     */
    double[] epochsAt(double[] steps, String run) {
        double[] ks = new double[step.length + 1];
        double[] es = new double[step.length + 1];
        int m = 1; // ks[0] = es[0] = 0
        for (int i = 0; i < step.length; i++) {
            if (Double.isFinite(step[i]) && Double.isFinite(epoch[i]) && step[i] > ks[m - 1] && epoch[i] > es[m - 1]) {
                ks[m] = step[i];
                es[m++] = epoch[i];
            }
        }
        if (m < 2) {
            throw new PlotException("run " + run + ": --x epochs needs evals.csv rows with step and epoch to convert steps to epochs");
        }
        double[] out = new double[steps.length];
        int j = 1;
        for (int i = 0; i < steps.length; i++) {
            double s = steps[i];
            while (j < m - 1 && ks[j] < s) {
                j++;
            }
            // Segment [j-1, j]: interpolates inside, extrapolates past the last evaluation.
            out[i] = es[j - 1] + (s - ks[j - 1]) * (es[j] - es[j - 1]) / (ks[j] - ks[j - 1]);
        }
        return out;
    }
}
