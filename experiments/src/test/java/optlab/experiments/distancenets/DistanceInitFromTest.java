package optlab.experiments.distancenets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import optlab.experiments.cli.Main;
import optlab.experiments.data.Dataset;
import optlab.experiments.data.Normalization;
import optlab.experiments.data.Sources;
import optlab.experiments.plot.CsvTable;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.io.SafeTensors;
import optlab.models.zoo.Zoo;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code optlab train --model distance:784-32-16-10 --init-from W} end to end in F64: the first loss in steps.csv (the
 * minibatch cross-entropy before the update, without the L2 term) equals the cross-entropy of the distance net at W
 * computed here independently, in plain double loops from the state dict.
 */
class DistanceInitFromTest {
    static final int BATCH = 10;

    @Test
    void firstLossIsTheCrossEntropyOfTheNetworkAtW(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isDirectory(Path.of(Sources.FASHION_MNIST_DIR)), "dataset-fashion-mnist is not installed");
        Path w = dir.resolve("w.safetensors");
        double[][][] c = new double[3][][], theta = new double[3][][];
        try (Model m = Zoo.build("distance:784-32-16-10", DType.F64, InitScheme.PYTORCH, 123)) {
            Map<String, Tensor> sd = m.stateDict();
            for (int l = 0; l < 3; l++) {
                c[l] = matrix(sd.get(l + ".centroids"));
                theta[l] = matrix(sd.get(l + ".widths"));
            }
            SafeTensors.write(w, sd);
        }
        Path out = dir.resolve("run");
        int rc = new CommandLine(new Main()).execute("train", "--model", "distance:784-32-16-10", "--data", "fashion-mnist",
                "--optimizer", "rmsprop-kurbiel:lr=0.01,weight_decay=1e-5", "--init-from", w.toString(), "--dtype", "f64",
                "--no-shuffle", "--batch", Integer.toString(BATCH), "--steps", "3", "--seed", "0", "--threads", "1",
                "--no-plot", "--out", out.toString());
        assertEquals(0, rc);
        CsvTable steps = CsvTable.read(out.resolve("steps.csv"));
        assertEquals(3, steps.rows().size());
        double first = steps.values(steps.requireColumn("loss"))[0];

        double expected;
        try (Scope s = Scope.open()) {
            Dataset train = Sources.load("fashion-mnist", Sources.Part.TRAIN, DType.F64, Normalization.unit(), s);
            double[] x = train.featureRows(0, BATCH, s).toDoubleArray();
            Tensor y = train.targets();
            double sum = 0;
            for (int n = 0; n < BATCH; n++) {
                double[] a = java.util.Arrays.copyOfRange(x, n * 784, (n + 1) * 784);
                for (int l = 0; l < 3; l++) {
                    a = layer(a, c[l], theta[l], l == 2);
                }
                sum += logSumExp(a) - a[(int) y.getFlat(n)];
            }
            expected = sum / BATCH;
        }
        // steps.csv keeps 7 significant digits.
        assertEquals(expected, first, 1e-6 * expected);
    }

    /** z_j = Σ_i θ_ji² (x_i − c_ji)²; hidden layers exp(−z/2), the last the logits −z/2. */
    static double[] layer(double[] x, double[][] c, double[][] theta, boolean last) {
        double[] out = new double[c.length];
        for (int j = 0; j < c.length; j++) {
            double z = 0;
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - c[j][i];
                z += theta[j][i] * theta[j][i] * d * d;
            }
            out[j] = last ? -z / 2 : Math.exp(-z / 2);
        }
        return out;
    }

    static double logSumExp(double[] v) {
        double max = java.util.Arrays.stream(v).max().orElseThrow(), s = 0;
        for (double e : v) {
            s += Math.exp(e - max);
        }
        return max + Math.log(s);
    }

    static double[][] matrix(Tensor t) {
        int rows = t.shape()[0], cols = t.shape()[1];
        double[] flat = t.toDoubleArray();
        double[][] m = new double[rows][];
        for (int r = 0; r < rows; r++) {
            m[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return m;
    }
}
