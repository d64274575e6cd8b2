package optlab.models.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.models.Model;
import optlab.models.TestModels;
import optlab.models.init.InitScheme;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** BatchNorm's outputs and running statistics against a hand computation in plain loops (PyTorch's rules). */
class BatchNormTest {
    private static final Backend CPU = Backends.cpu(2);
    private static final int N = 4, C = 3, L = 5;

    @AfterAll
    static void close() {
        CPU.close();
    }

    /** Per channel c: mean and biased variance of x[:, c, :]. */
    private static double[][] stats(Tensor x) {
        double[][] ms = new double[2][C];
        int n = N * L;
        for (int c = 0; c < C; c++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < N; i++) {
                for (int l = 0; l < L; l++) {
                    sum += x.get(i, c, l);
                }
            }
            double mean = sum / n;
            for (int i = 0; i < N; i++) {
                for (int l = 0; l < L; l++) {
                    sq += Math.pow(x.get(i, c, l) - mean, 2);
                }
            }
            ms[0][c] = mean;
            ms[1][c] = sq / n;
        }
        return ms;
    }

    private static Tensor run(Model m, Graph g, Tensor x) {
        return m.forward(g, Variable.constant(x)).value();
    }

    @Test
    void trainingNormalizesByBatchStatsAndUpdatesRunningStatsLikePyTorch() {
        BatchNorm1d bn = new BatchNorm1d(C);
        try (Model m = Model.build(bn, DType.F64, InitScheme.PYTORCH, 1); Scope s = Scope.open();
                Graph g = Graph.open(CPU, s)) {
            double[] gamma = {1.5, -0.5, 2}, beta = {0.1, 0.2, -0.3};
            for (int c = 0; c < C; c++) {
                bn.weight().value().set(gamma[c], c);
                bn.bias().value().set(beta[c], c);
            }
            double[] rm = {0, 0, 0}, rv = {1, 1, 1};
            for (int step = 0; step < 2; step++) {
                Tensor x = s.uniform(DType.F64, new java.util.SplittableRandom(step), -2, 3, N, C, L);
                Tensor y = run(m, g, x);
                double[][] st = stats(x);
                for (int i = 0; i < N; i++) {
                    for (int c = 0; c < C; c++) {
                        for (int l = 0; l < L; l++) {
                            double expect = (x.get(i, c, l) - st[0][c]) / Math.sqrt(st[1][c] + 1e-5) * gamma[c] + beta[c];
                            assertEquals(expect, y.get(i, c, l), 1e-12);
                        }
                    }
                }
                int n = N * L;
                for (int c = 0; c < C; c++) {
                    rm[c] = 0.9 * rm[c] + 0.1 * st[0][c];
                    rv[c] = 0.9 * rv[c] + 0.1 * st[1][c] * n / (n - 1);
                    assertEquals(rm[c], bn.runningMean().value().get(c), 1e-14);
                    assertEquals(rv[c], bn.runningVar().value().get(c), 1e-14);
                }
            }
            assertEquals(2.0, bn.numBatchesTracked().value().item());

            // Evaluation: running statistics, and they stay put.
            m.eval();
            Tensor x = s.uniform(DType.F64, new java.util.SplittableRandom(9), -1, 1, N, C, L);
            Tensor y = run(m, g, x);
            for (int i = 0; i < N; i++) {
                for (int c = 0; c < C; c++) {
                    for (int l = 0; l < L; l++) {
                        double expect = (x.get(i, c, l) - rm[c]) / Math.sqrt(rv[c] + 1e-5) * gamma[c] + beta[c];
                        assertEquals(expect, y.get(i, c, l), 1e-12);
                    }
                }
            }
            assertEquals(rm[1], bn.runningMean().value().get(1), 0);
            assertEquals(2.0, bn.numBatchesTracked().value().item());
        }
    }

    @Test
    void batchNorm2dUsesEveryPixelAsAValue() {
        BatchNorm2d bn = new BatchNorm2d(2, 1e-5, 0.25);
        try (Model m = Model.build(bn, DType.F64, InitScheme.PYTORCH, 1); Scope s = Scope.open();
                Graph g = Graph.noGrad(CPU, s)) {
            Tensor x = TestModels.rand(s, DType.F64, 3, 2, 2, 3, 3);
            run(m, g, x);
            double sum = 0, sq = 0;
            for (int i = 0; i < 2; i++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 3; w++) {
                        sum += x.get(i, 1, h, w);
                    }
                }
            }
            double mean = sum / 18;
            for (int i = 0; i < 2; i++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 3; w++) {
                        sq += Math.pow(x.get(i, 1, h, w) - mean, 2);
                    }
                }
            }
            assertEquals(0.25 * mean, bn.runningMean().value().get(1), 1e-14);
            assertEquals(0.75 + 0.25 * sq / 17, bn.runningVar().value().get(1), 1e-14);
        }
    }

    @Test
    void oneValuePerChannelIsRejectedInTrainingOnly() {
        BatchNorm1d bn = new BatchNorm1d(C);
        try (Model m = Model.build(bn, DType.F32, InitScheme.PYTORCH, 1); Scope s = Scope.open();
                Graph g = Graph.noGrad(CPU, s)) {
            Tensor x = s.zeros(DType.F32, 1, C);
            var e = assertThrows(IllegalArgumentException.class, () -> run(m, g, x));
            assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
            m.eval();
            run(m, g, x);
            var r = assertThrows(IllegalArgumentException.class, () -> run(m, g, s.zeros(DType.F32, 2, C, 2, 2)));
            assertTrue(r.getMessage().contains("BatchNorm1d") && r.getMessage().contains("[2, 3, 2, 2]"), r.getMessage());
        }
    }
}
