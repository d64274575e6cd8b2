package optlab.experiments.integrators;

import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.plot.CsvTable;
import optlab.experiments.run.RunFolder;
import optlab.experiments.sweep.SweepFolders;

/**
 * What the KPIs need of one run folder. Evaluations (evals.csv, row 0 the initial model): step, epoch, training
 * cross-entropy, test accuracy, and {@code gradEvals}, the gradient evaluations spent by then (steps.csv's
 * cumulative grad_evals after the step before; a rule without that column spends one a step). Steps (steps.csv):
 * the minibatch loss of each step and the training seconds so far.
 */
record RunCurves(String status, double[] step, double[] epoch, double[] trainLoss, double[] testAcc, double[] gradEvals,
        double[] stepLoss, double trainSeconds, double totalGradEvals) {

    static RunCurves read(Path folder) {
        String status = SweepFolders.status(folder);
        Path evals = folder.resolve(RunFolder.EVALS), steps = folder.resolve(RunFolder.STEPS);
        if (!Files.exists(evals) || !Files.exists(steps)) {
            double[] none = new double[0];
            return new RunCurves(status, none, none, none, none, none, none, Double.NaN, Double.NaN);
        }
        CsvTable s = CsvTable.read(steps);
        double[] stepLoss = s.values(s.requireColumn("loss"));
        double[] seconds = s.values(s.requireColumn("seconds"));
        int ge = s.column("grad_evals");
        double[] cumulative = ge >= 0 ? s.values(ge) : null;
        int n = stepLoss.length;
        CsvTable e = CsvTable.read(evals);
        double[] step = e.values(e.requireColumn("step"));
        double[] evalsAt = new double[step.length];
        for (int i = 0; i < step.length; i++) {
            int k = (int) Math.round(step[i]); // updates done: steps.csv rows 0..k-1
            evalsAt[i] = k == 0 ? 0 : cumulative == null ? k : k - 1 < n ? cumulative[k - 1] : Double.NaN;
        }
        double total = n == 0 ? 0 : cumulative == null ? n : cumulative[n - 1];
        return new RunCurves(status, step, e.values(e.requireColumn("epoch")), e.values(e.requireColumn("train_loss")),
                e.values(e.requireColumn("test_acc")), evalsAt, stepLoss, n == 0 ? 0 : seconds[n - 1], total);
    }

    boolean completed() {
        return SweepFolders.COMPLETED.equals(status);
    }

    /** Epochs trained (the last evaluation's). */
    double epochs() {
        return epoch.length == 0 ? 0 : epoch[epoch.length - 1];
    }
}
