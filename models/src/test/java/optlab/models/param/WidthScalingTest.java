package optlab.models.param;

import static optlab.models.param.ParamTesting.inputs;
import static optlab.models.param.ParamTesting.oneHot;
import static optlab.models.param.ParamTesting.output;
import static optlab.models.param.ParamTesting.rms;
import static optlab.models.param.ParamTesting.sgdStep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.layers.Sequential;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The width scaling facts behind μP on mlp:784-N-N-10 for N = 32, 128, 512: hidden pre-activations
 * are O(1) at initialization; with learning rate N·η0 the first step changes the output by about
 * η0/γ0² and the first hidden pre-activations by about η0/γ0, whatever N, while NTK (lr η0)
 * keeps the output change but its feature movement shrinks like 1/√N, and the standard
 * parameterization with a fixed lr changes the output more the wider the network (its kernel grows with N).
 */
class WidthScalingTest {
    private static final Backend CPU = Backends.cpu(2);
    private static final int[] WIDTHS = {32, 128, 512};
    private static final int BATCH = 16;

    @AfterAll
    static void close() {
        CPU.close();
    }

    private static String mlp(int n) {
        return mlp(784, n);
    }

    private static String mlp(int in, int n) {
        return "mlp:" + in + "-" + n + "-" + n + "-10";
    }

    /** Output of the first {@code layers} modules of the MLP's Sequential (e.g. 1 = first pre-activation). */
    private static double[] prefix(Model m, Tensor x, int layers) {
        Sequential seq = (Sequential) m.root();
        try (Scope s = Scope.open(); Graph g = Graph.noGrad(CPU, s)) {
            Variable v = Variable.constant(x);
            for (int i = 0; i < layers; i++) {
                v = seq.get(i).forward(g, v);
            }
            return v.value().toDoubleArray();
        }
    }

    @Test
    void hiddenPreActivationsAreOrderOneAtInitialization() {
        for (Parameterization p : new Parameterization[] {Parameterization.mup(1), Parameterization.ntk(1)}) {
            for (int n : WIDTHS) {
                try (Scope s = Scope.open(); Model m = p.build(mlp(n), DType.F64, InitScheme.PYTORCH, n)) {
                    Tensor x = inputs(s, DType.F64, 1, BATCH, 784);
                    // h1 = (W1 x + b1)/√784 has variance |x|²/784 + 1/784 ≈ 1; h2 has E[relu(h1)²] + 1/N ≈ 1/2.
                    assertEquals(1, rms(prefix(m, x, 1)), 0.1, p + " N=" + n + " h1");
                    assertEquals(Math.sqrt(0.5), rms(prefix(m, x, 3)), 0.12, p + " N=" + n + " h2");
                    // The uncentered readout w·relu(h2)/N (μP) or /√N (NTK): E[relu(h2)²] = var(h2)/2 ≈ 1/4, so
                    // its rms is √(1/(4N)) under μP, 1/2 under NTK (only 10 readout rows: a loose tolerance).
                    double f = rms(prefix(m, x, 5));
                    double expected = p.kind() == Parameterization.Kind.MUP ? Math.sqrt(0.25 / n) : Math.sqrt(0.25);
                    assertEquals(1, f / expected, 0.35, p + " N=" + n + " readout " + f);
                }
            }
        }
    }

    /** rms of the first-step output change and of the first hidden pre-activation change, per width. */
    private static double[][] firstStep(Parameterization p, double eta0) {
        return firstStep(p, eta0, 784);
    }

    private static double[][] firstStep(Parameterization p, double eta0, int in) {
        double[][] out = new double[WIDTHS.length][];
        for (int k = 0; k < WIDTHS.length; k++) {
            int n = WIDTHS[k];
            try (Scope s = Scope.open(); Model m = p.build(mlp(in, n), DType.F64, InitScheme.GAUSSIAN, 100 + n)) {
                Tensor x = inputs(s, DType.F64, 2, BATCH, in);
                Tensor y = oneHot(s, DType.F64, BATCH, 10);
                double[] f0 = output(CPU, m, x);
                double[] h0 = prefix(m, x, 1);
                sgdStep(CPU, m, x, y, p.learningRate(eta0, n));
                out[k] = new double[] {rms(ParamTesting.minus(output(CPU, m, x), f0)),
                    rms(ParamTesting.minus(prefix(m, x, 1), h0))};
            }
        }
        return out;
    }

    @Test
    void underMupTheFirstStepMovesOutputAndFeaturesIndependentlyOfWidth() {
        double[] normalized = new double[2], features = new double[2];
        double[] gammas = {0.1, 1};
        for (int gi = 0; gi < 2; gi++) {
            double gamma0 = gammas[gi];
            double eta0 = 1e-3 * gamma0 * gamma0; // small enough that one step is linear in η0
            double[][] d = firstStep(Parameterization.mup(gamma0), eta0);
            normalized[gi] = d[2][0] * gamma0 * gamma0 / eta0;
            features[gi] = d[2][1] * gamma0 / eta0;
            for (int k = 0; k < WIDTHS.length; k++) {
                double df = d[k][0] * gamma0 * gamma0 / eta0;
                double dh = d[k][1] * gamma0 / eta0;
                // Δf ≈ η0/γ0²·(NTK-like constant), Δh1 ≈ η0/γ0·(constant), neither depending on N.
                assertEquals(d[2][0] * gamma0 * gamma0 / eta0, df, 0.3 * df, "γ0=" + gamma0 + " N=" + WIDTHS[k] + " Δf");
                assertEquals(d[2][1] * gamma0 / eta0, dh, 0.3 * dh, "γ0=" + gamma0 + " N=" + WIDTHS[k] + " Δh1");
                // ≈ K·2/(B·C): an O(1) kernel times MSE's ∂L/∂f = 2(f − y)/(B·C) with B·C = 160.
                assertTrue(df > 1e-3 && df < 0.1, "Δf·γ0²/η0 = " + df);
            }
        }
        // Same seed, same data: Δf·γ0²/η0 is the same number at γ0 = 0.1 and 1 (the step is in the linear regime).
        assertEquals(normalized[1], normalized[0], 1e-3 * normalized[1]);
        // ... and the feature change is η0/γ0 times the same constant: O(1/γ0) at a fixed η0.
        assertEquals(features[1], features[0], 1e-3 * features[1]);
    }

    /**
     * The paper's CNN (valid 3×3 convs, conv multiplier 1/√in_channels, readout 1/(8N)) under μP with lr
     * N·η0: the first-step output change is N-independent too (N = 4, 16, 64 on 12×12 images).
     */
    @Test
    void theCnnUnderMupHasAWidthIndependentFirstStep() {
        double gamma0 = 0.5, eta0 = 1e-3 * gamma0 * gamma0;
        double[] df = new double[3];
        int[] widths = {4, 16, 64};
        for (int k = 0; k < 3; k++) {
            int n = widths[k];
            String spec = "cnn:in=1x12x12,conv=" + n + "-" + 2 * n + ",fc=" + 8 * n + ",pool=avg,pad=valid";
            Parameterization p = Parameterization.mup(gamma0);
            try (Scope s = Scope.open(); Model m = p.build(spec, DType.F64, InitScheme.PYTORCH, 40 + n)) {
                Tensor x = inputs(s, DType.F64, 2, 8, 1, 12, 12);
                Tensor y = oneHot(s, DType.F64, 8, 10);
                sgdStep(CPU, m, x, y, p.learningRate(eta0, Parameterization.width(spec)));
                df[k] = rms(output(CPU, m, x)) * gamma0 * gamma0 / eta0;
            }
        }
        // Finite-width scatter at N = 4 is large, so a factor-2 band; a missing N in the lr (or a √N readout)
        // would change Δf by 16× across these widths.
        for (int k = 0; k < 2; k++) {
            double r = df[k] / df[2];
            assertTrue(r > 0.5 && r < 2, "Δf·γ0²/η0 by width " + java.util.Arrays.toString(df));
        }
    }

    @Test
    void underNtkFeaturesFreezeAsWidthGrowsAndUnderStandardTheOutputStepGrows() {
        double[][] ntk = firstStep(Parameterization.ntk(1), 1e-3);
        assertEquals(1, ntk[2][0] / ntk[0][0], 0.3, "NTK Δf(512)/Δf(32)");
        assertEquals(0.25, ntk[2][1] / ntk[0][1], 0.08, "NTK Δh1(512)/Δh1(32) ~ 1/√16");
        // Standard (N(0, 1/fan_in), lr η0): the kernel is ≈ |x|²/2 from the first layer plus O(N) from the
        // others, so on 16 inputs it grows ≈ 12× from N = 32 to 512 (on 784 inputs the first layer hides it).
        double[][] standard = firstStep(Parameterization.STANDARD, 1e-3, 16);
        assertTrue(standard[2][0] / standard[0][0] > 3, "standard Δf(512)/Δf(32) = " + standard[2][0] / standard[0][0]);
    }
}
