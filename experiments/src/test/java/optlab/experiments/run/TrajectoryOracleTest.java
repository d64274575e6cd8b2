package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import optlab.models.Model;
import optlab.models.io.SafeTensors;
import optlab.models.zoo.Zoo;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole training loop against an independent oracle: plain double loops for a one-hidden-layer ReLU MLP,
 * mean cross-entropy, its hand-derived gradients and torch.optim.SGD (weight decay, then momentum buffer
 * b = μ·b + g with b = g at the first step, p −= lr·b) under a cosine schedule. File order with a partial
 * last batch (40 samples, batches of 16) checks the data order and the per-batch mean; F64 makes 1e-12 fair.
 * The same run is also checked against PyTorch: {@code torch_trajectory.json} was written by
 * experiments/scripts/torch_reference_trajectory.py from this run's initial weights and data.
 */
class TrajectoryOracleTest {
    static final int IN = 8, HID = 16, OUT = 3, N = 40, B = 16, STEPS = 7;
    static final double LR = 0.2, MU = 0.9, WD = 0.01;

    static final String CONFIG = """
            {"model": "mlp:8-16-3", "dtype": "f64", "data": {"source": "gaussian-mixture", "train": 40, "test": 8,
             "separation": 2}, "batch_size": 16, "shuffle": false, "steps": 7, "seed": 5, "threads": 2,
             "optimizer": {"name": "sgd", "lr": 0.2, "momentum": 0.9, "weight_decay": 0.01},
             "schedule": {"name": "cosine", "t_max": 10}, "out": "%s", "save_to": "%s"}
            """;
    static final String[] KEYS = {"0.weight", "0.bias", "2.weight", "2.bias"};

    @TempDir
    Path tmp;

    ObjectNode config(String extra) {
        ObjectNode root = RunConfig.readTree(CONFIG.formatted(json(tmp.resolve("run")), json(tmp.resolve("final.safetensors"))));
        root.setAll(RunConfig.readTree(extra));
        return root;
    }

    static String json(Path p) {
        return p.toString().replace("\\", "\\\\");
    }

    static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }

    @Test
    void lossesAndFinalWeightsMatchPyTorch() throws IOException {
        JsonNode torch;
        try (var in = TrajectoryOracleTest.class.getResourceAsStream("torch_trajectory.json")) {
            torch = RunConfig.JSON.readTree(in);
        }
        Path init = tmp.resolve("init.safetensors");
        RunConfig c = RunConfig.parse(config("{\"init\": {\"from\": \"" + json(init) + "\"}}"));
        try (Scope s = Scope.open(); Model m = Zoo.build(c.model(), c.dtype(), c.initScheme(), 99)) {
            // The fixture's data must be the data this run regenerates from the task seed.
            DataSpec.Loaded d = c.data().load(c.dtype(), s);
            org.junit.jupiter.api.Assertions.assertArrayEquals(doubles(torch.get("x")), d.train().features().toDoubleArray());
            org.junit.jupiter.api.Assertions.assertArrayEquals(doubles(torch.get("y")), d.train().targets().toDoubleArray());
            for (String k : KEYS) {
                Tensor t = m.stateDict().get(k);
                double[] v = doubles(torch.get("init").get(k));
                for (int i = 0; i < v.length; i++) {
                    t.setFlat(i, v[i]);
                }
            }
            SafeTensors.write(init, m.stateDict());
        }
        new Trainer(c, new PrintStream(new ByteArrayOutputStream())).run();
        List<String> rows = Files.readAllLines(tmp.resolve("run").resolve("steps.csv"));
        for (int k = 0; k < STEPS; k++) {
            String[] row = rows.get(k + 1).split(",");
            double expected = torch.get("losses").get(k).asDouble();
            assertEquals(expected, Double.parseDouble(row[1]), 1e-12 * expected, "loss of step " + k);
            assertEquals(torch.get("lr").get(k).asDouble(), Double.parseDouble(row[2]), 1e-15, "lr of step " + k);
        }
        try (Scope s = Scope.open()) {
            Map<String, Tensor> fin = SafeTensors.read(tmp.resolve("final.safetensors"), s);
            for (String k : KEYS) {
                double[] want = doubles(torch.get("final").get(k)), got = fin.get(k).toDoubleArray();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-12 * (1 + Math.abs(want[i])), k + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void lossesAndFinalWeightsMatchPlainLoops() throws IOException {
        Path saved = tmp.resolve("final.safetensors");
        ObjectNode cfg = config("{}");
        RunConfig c = RunConfig.parse(cfg);
        new Trainer(c, new PrintStream(new ByteArrayOutputStream())).run();
        List<String> rows = Files.readAllLines(tmp.resolve("run").resolve("steps.csv"));

        try (Scope s = Scope.open(); Model m = Zoo.build(c.model(), c.dtype(), c.initScheme(), c.seed())) {
            DataSpec.Loaded d = c.data().load(c.dtype(), s);
            double[][] x = new double[N][IN];
            int[] y = new int[N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < IN; j++) {
                    x[i][j] = d.train().features().get(i, j);
                }
                y[i] = (int) d.train().targets().getFlat(i);
            }
            double[] w1 = m.stateDict().get("0.weight").toDoubleArray(), b1 = m.stateDict().get("0.bias").toDoubleArray();
            double[] w2 = m.stateDict().get("2.weight").toDoubleArray(), b2 = m.stateDict().get("2.bias").toDoubleArray();
            double[][] params = {w1, b1, w2, b2};
            double[][] bufs = {new double[w1.length], new double[b1.length], new double[w2.length], new double[b2.length]};
            for (int k = 0; k < STEPS; k++) {
                int from = (int) (k % 3) * B, to = Math.min(N, from + B); // 3 batches per epoch: 16, 16, 8
                double[][] grads = {new double[w1.length], new double[b1.length], new double[w2.length], new double[b2.length]};
                double loss = lossAndGradients(x, y, from, to, params, grads);
                String[] row = rows.get(k + 1).split(",");
                assertEquals(loss, Double.parseDouble(row[1]), 1e-12 * loss, "loss of step " + k);
                double lr = 0 + LR * (1 + Math.cos(Math.PI * k / 10)) / 2;
                assertEquals(lr, Double.parseDouble(row[2]), 1e-15, "lr of step " + k);
                for (int p = 0; p < params.length; p++) {
                    for (int i = 0; i < params[p].length; i++) {
                        double g = grads[p][i] + WD * params[p][i];
                        bufs[p][i] = k == 0 ? g : MU * bufs[p][i] + g;
                        params[p][i] -= lr * bufs[p][i];
                    }
                }
            }
            Map<String, Tensor> fin = SafeTensors.read(saved, s);
            String[] keys = {"0.weight", "0.bias", "2.weight", "2.bias"};
            for (int p = 0; p < keys.length; p++) {
                double[] got = fin.get(keys[p]).toDoubleArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(params[p][i], got[i], 1e-12 * (1 + Math.abs(params[p][i])), keys[p] + "[" + i + "]");
                }
            }
        }
    }

    /** Mean cross-entropy of rows [from, to) and its gradients (Linear weights are [out, in], as PyTorch's). */
    static double lossAndGradients(double[][] x, int[] y, int from, int to, double[][] p, double[][] g) {
        double[] w1 = p[0], b1 = p[1], w2 = p[2], b2 = p[3];
        int n = to - from;
        double loss = 0;
        for (int r = from; r < to; r++) {
            double[] pre = new double[HID], h = new double[HID], z = new double[OUT];
            for (int j = 0; j < HID; j++) {
                pre[j] = b1[j];
                for (int i = 0; i < IN; i++) {
                    pre[j] += w1[j * IN + i] * x[r][i];
                }
                h[j] = Math.max(0, pre[j]);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < OUT; o++) {
                z[o] = b2[o];
                for (int j = 0; j < HID; j++) {
                    z[o] += w2[o * HID + j] * h[j];
                }
                max = Math.max(max, z[o]);
            }
            double sum = 0;
            for (int o = 0; o < OUT; o++) {
                sum += Math.exp(z[o] - max);
            }
            loss += max + Math.log(sum) - z[y[r]];
            double[] dh = new double[HID];
            for (int o = 0; o < OUT; o++) {
                double dz = (Math.exp(z[o] - max) / sum - (o == y[r] ? 1 : 0)) / n;
                g[3][o] += dz;
                for (int j = 0; j < HID; j++) {
                    g[2][o * HID + j] += dz * h[j];
                    dh[j] += dz * w2[o * HID + j];
                }
            }
            for (int j = 0; j < HID; j++) {
                double dpre = pre[j] > 0 ? dh[j] : 0;
                g[1][j] += dpre;
                for (int i = 0; i < IN; i++) {
                    g[0][j * IN + i] += dpre * x[r][i];
                }
            }
        }
        return loss / n;
    }
}
