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
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Why small γ0 runs in float64. Under μP with lr N·η0 and η0 three decades below the stability edge
 * (η0 = 1e-3·γ0²), one step changes a hidden weight of size O(1) by about η0/(γ0·√fan_in) ≈ 1e-3·γ0/16:
 * 6e-6 relative at γ0 = 1 but 6e-9 at γ0 = 1e-4, below float32's half ulp (6e-8), so the float32 weights
 * do not move and the centered output f_θ − f_θ0 (a 1e-10 difference of O(1/√N) numbers) is lost; in
 * float64 both survive and the step is the same as at γ0 = 1 up to the exact 1/γ0² rescaling.
 */
class PrecisionTest {
    private static final Backend CPU = Backends.cpu(2);
    private static final String MLP = "mlp:784-256-256-10";
    private static final int BATCH = 16;

    @AfterAll
    static void close() {
        CPU.close();
    }

    /** {fraction of "2.weight" entries changed by one step, rms of the output after it}, per dtype. */
    private static double[] oneStep(double gamma0, DType dtype) {
        Parameterization p = Parameterization.mup(gamma0);
        double eta0 = 1e-3 * gamma0 * gamma0;
        try (Scope s = Scope.open(); Model m = p.build(MLP, dtype, InitScheme.PYTORCH, 21)) {
            Tensor x = inputs(s, dtype, 3, BATCH, 784);
            Tensor y = oneHot(s, dtype, BATCH, 10);
            double[] before = m.parameter("2.weight").value().toDoubleArray();
            sgdStep(CPU, m, x, y, p.learningRate(eta0, 256));
            double[] after = m.parameter("2.weight").value().toDoubleArray();
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                changed += before[i] != after[i] ? 1 : 0;
            }
            double[] f = output(CPU, m, x);
            return new double[] {(double) changed / before.length, rms(f) * gamma0 * gamma0 / eta0};
        }
    }

    @Test
    void float32LosesTheUpdateAtSmallGammaWhileFloat64KeepsIt() {
        double[] f64 = oneStep(1, DType.F64), f32 = oneStep(1, DType.F32);
        double[] f64s = oneStep(1e-4, DType.F64), f32s = oneStep(1e-4, DType.F32);
        // γ0 = 1: float32 is fine (most weights move; the output step agrees with float64 to ~1e-5).
        assertTrue(f32[0] > 0.5, "float32 at γ0=1 moved " + f32[0]);
        assertEquals(f64[1], f32[1], 1e-3 * f64[1]);
        // γ0 = 1e-4 in float64: the same step as at γ0 = 1 after the 1/γ0² rescaling.
        assertEquals(f64[0], f64s[0], 0, "float64 weights moved");
        assertEquals(f64[1], f64s[1], 1e-4 * f64[1], "float64 normalized output step");
        // γ0 = 1e-4 in float32: almost no weight moves and the output step is wrong by tens of percent.
        assertTrue(f32s[0] < 0.05, "float32 at γ0=1e-4 moved " + f32s[0] + " of the weights");
        assertTrue(Math.abs(f32s[1] - f64s[1]) > 0.3 * f64s[1], "float32 output step " + f32s[1] + " vs " + f64s[1]);
    }

    /** A μP MLP at γ0 = 1e-3 trains end to end in float64 (autoDtype's choice): the MSE falls step by step. */
    @Test
    void mupTrainsInFloat64AtSmallGamma() {
        Parameterization p = Parameterization.mup(1e-3);
        assertEquals(DType.F64, p.autoDtype());
        double eta0 = 20 * p.gamma0() * p.gamma0();
        try (Scope s = Scope.open(); Model m = p.build("mlp:784-128-128-10", p.autoDtype(), InitScheme.PYTORCH, 8)) {
            Tensor x = inputs(s, DType.F64, 5, BATCH, 784);
            Tensor y = oneHot(s, DType.F64, BATCH, 10);
            double first = sgdStep(CPU, m, x, y, p.learningRate(eta0, 128));
            assertEquals(0.1, first, 1e-15, "f ≡ 0 at init: MSE to one-hot = 1/10");
            double prev = first;
            for (int step = 1; step < 8; step++) {
                double loss = sgdStep(CPU, m, x, y, p.learningRate(eta0, 128));
                assertTrue(loss < prev, "step " + step + ": " + prev + " -> " + loss);
                prev = loss;
            }
            assertTrue(prev < 0.3 * first, first + " -> " + prev);
        }
    }
}
