package optlab.models.param;

import static optlab.models.param.ParamTesting.inputs;
import static optlab.models.param.ParamTesting.maxAbs;
import static optlab.models.param.ParamTesting.output;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.models.Model;
import optlab.models.Module;
import optlab.models.init.InitScheme;
import optlab.models.layers.ClassificationHead;
import optlab.models.layers.Conv2d;
import optlab.models.layers.Linear;
import optlab.models.zoo.Zoo;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec parsing, building under each kind, centering (f ≡ 0 at init), exact 1/γ0 output scaling, multipliers. */
class ParameterizationTest {
    private static final Backend CPU = Backends.cpu(2);

    /** One small model per zoo family with the input shape it takes. */
    static final String[][] MODELS = {
        {"mlp:20-16-16-10", "5x20"},
        {"cnn:in=1x12x12,conv=4-8,fc=32,pool=avg,pad=valid", "3x1x12x12"},
        {"resnet:blocks=1-1,width=4,in=3", "4x3x8x8"},
        {"vit:image=8,patch=4,dim=8,depth=1,heads=2,in=3", "3x3x8x8"},
        // The frozen copy draws the same dropout masks (same seed, index and step), so f ≡ 0 holds in training too.
        {"mlp:20-16-16-10,dropout=0.5", "5x20"},
    };

    @AfterAll
    static void close() {
        CPU.close();
    }

    private static int[] shape(String s) {
        return java.util.Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
    }

    @ParameterizedTest
    @CsvSource({"standard, STANDARD, 1", "STANDARD, STANDARD, 1", "ntk, NTK, 1", "ntk:gamma0=1, NTK, 1",
            "mup:gamma0=0.01, MUP, 0.01", "' mup : gamma0 = 1e-5 ', MUP, 1e-5", "standard:gamma0=2, STANDARD, 2"})
    void parsesSpecs(String text, Parameterization.Kind kind, double gamma0) {
        Parameterization p = Parameterization.parse(text);
        assertEquals(new Parameterization(kind, gamma0), p);
        assertEquals(p, Parameterization.parse(p.spec()));
    }

    @Test
    void specTextIsShortAndRoundTrips() {
        assertEquals("standard", Parameterization.STANDARD.spec());
        assertEquals("mup:gamma0=0.01", Parameterization.mup(0.01).spec());
        assertEquals("ntk:gamma0=1", Parameterization.ntk(1).spec());
        assertEquals("mup:gamma0=1E+5", Parameterization.mup(1e5).spec());
        for (double g : new double[] {1e-5, 3.1622776601683795e-3, 0.1, 1, 31.622776601683793, 1e5}) {
            for (Parameterization p : new Parameterization[] {Parameterization.mup(g), Parameterization.ntk(g),
                    new Parameterization(Parameterization.Kind.STANDARD, g)}) {
                assertEquals(p, Parameterization.parse(p.spec()), p.spec());
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty spec", "mu:gamma0=1|unknown kind 'mu'", "mup:|nothing after ':'", "mup:gamma=1|unknown key 'gamma'",
        "mup:gamma0|gamma0 needs a value", "mup:gamma0=|gamma0 needs a value", "mup:gamma0=abc|bad gamma0 'abc'",
        "mup:gamma0=0|finite and > 0", "ntk:gamma0=-1|finite and > 0", "mup:gamma0=NaN|finite and > 0",
        "mup:gamma0=Infinity|finite and > 0", "mup:gamma0=1,gamma0=2|given twice"})
    void badSpecsFailClearly(String text, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> Parameterization.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("parameterization"), e.getMessage());
    }

    @Test
    void learningRateAndDtype() {
        assertEquals(256 * 0.01, Parameterization.mup(1).learningRate(0.01, 256), 0);
        assertEquals(0.01, Parameterization.ntk(1).learningRate(0.01, 256), 0);
        assertEquals(0.01, Parameterization.STANDARD.learningRate(0.01, 256), 0);
        assertThrows(IllegalArgumentException.class, () -> Parameterization.mup(1).learningRate(-1, 4));
        assertThrows(IllegalArgumentException.class, () -> Parameterization.mup(1).learningRate(1, 0));
        assertEquals(DType.F64, Parameterization.mup(1e-3).autoDtype());
        assertEquals(DType.F64, Parameterization.mup(0.0099).autoDtype());
        assertEquals(DType.F32, Parameterization.mup(1e-2).autoDtype());
        assertEquals(DType.F32, Parameterization.ntk(1e3).autoDtype());
        assertEquals(128, Parameterization.width("mlp:784-128-128-10"));
        assertEquals(16, Parameterization.width("cnn:in=1x28x28,conv=16-32,fc=128,pool=avg,pad=valid"));
        assertEquals(32, Parameterization.width("resnet:blocks=2-2-2-2,width=32"));
        assertEquals(48, Parameterization.width("vit:image=32,patch=4,dim=48"));
    }

    @Test
    void standardIsTodaysZooModelForEveryFamily() {
        for (String[] m : MODELS) {
            try (Scope s = Scope.open();
                    Model a = Parameterization.STANDARD.build(m[0], DType.F64, InitScheme.PYTORCH, 3);
                    Model b = Zoo.build(m[0], DType.F64, InitScheme.PYTORCH, 3);
                    Model c = new Parameterization(Parameterization.Kind.STANDARD, 4).build(m[0], DType.F64,
                            InitScheme.HE, 3);
                    Model d = Zoo.build(m[0], DType.F64, InitScheme.HE, 3)) {
                assertNull(a.outputStage());
                Tensor x = inputs(s, DType.F64, 1, shape(m[1]));
                double[] ya = output(CPU, a, x);
                assertArrayEquals(output(CPU, b, x), ya, 0, m[0]);
                // γ0 ≠ 1: the same network (not centered) divided by γ0; the init scheme is honoured.
                double[] yc = output(CPU, c, x), yd = output(CPU, d, x);
                assertTrue(maxAbs(yd) > 0, m[0]);
                for (int i = 0; i < yc.length; i++) {
                    assertEquals(yd[i] / 4, yc[i], 1e-15 * Math.abs(yd[i]), m[0]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ntk:gamma0=1", "mup:gamma0=1", "mup:gamma0=0.001", "ntk:gamma0=100"})
    void centeredOutputIsZeroAtInitForEveryFamily(String spec) {
        Parameterization p = Parameterization.parse(spec);
        for (String[] m : MODELS) {
            try (Scope s = Scope.open(); Model model = p.build(m[0], DType.F64, InitScheme.PYTORCH, 5)) {
                Tensor x = inputs(s, DType.F64, 2, shape(m[1]));
                double train = maxAbs(output(CPU, model, x));
                model.setStep(7); // as when resuming: the frozen copy follows (same dropout masks)
                double resumed = maxAbs(output(CPU, model, x));
                model.eval();
                double eval = maxAbs(output(CPU, model, x));
                // ... while the uncentered network is not zero: the centering does the work.
                double raw;
                try (Scope t = Scope.open(); var g = optlab.tensor.autodiff.Graph.noGrad(CPU, t)) {
                    raw = maxAbs(model.root().forward(g, optlab.tensor.autodiff.Variable.constant(x)).value()
                            .toDoubleArray());
                }
                assertTrue(raw > 1e-3, m[0] + ": raw output " + raw);
                // The two copies run the same kernels on the same values, so the difference is exactly zero.
                // (Once in four CI runs the ViT's was 4.4e-16, from C2's lane sums and SVML exp differing from
                // the interpreter's; kernels now use fixed-order lane sums and lane-wise exp, JitDeterminismTest.)
                assertEquals(0.0, train, m[0] + " in training mode");
                assertEquals(0.0, resumed, m[0] + " after setStep");
                assertEquals(0.0, eval, m[0] + " in evaluation mode");
            }
        }
    }

    @Test
    void trainableStateIsThePlainZooModelsAndTheFrozenCopyHasNoGradient() {
        for (String[] m : MODELS) {
            try (Scope s = Scope.open(); Model plain = Zoo.build(m[0], DType.F64, InitScheme.PYTORCH, 1);
                    Model mup = Parameterization.mup(0.5).build(m[0], DType.F64, InitScheme.PYTORCH, 1)) {
                assertEquals(plain.stateDict().keySet(), mup.stateDict().keySet());
                assertEquals(plain.numParameters(), mup.numParameters());
                Model frozen = ((Centering) mup.outputStage()).frozen();
                Tensor x = inputs(s, DType.F64, 2, shape(m[1]));
                Tensor target = ParamTesting.oneHot(s, DType.F64, shape(m[1])[0], 10);
                double[] before = frozen.parameters().toDoubleArray();
                ParamTesting.sgdStep(CPU, mup, x, target, 0.5);
                // The copy holds no gradient block at all (it would double the parameter memory).
                assertTrue(frozen.parameterBlock().frozen(), m[0]);
                assertNull(frozen.gradients(), m[0] + ": frozen copy has a gradient block");
                for (var p : frozen.namedParameters().values()) {
                    assertFalse(p.variable().requiresGrad(), m[0] + " " + p);
                }
                assertFalse(mup.parameterBlock().frozen());
                assertArrayEquals(before, frozen.parameters().toDoubleArray(), 0);
                assertNotEquals(0, maxAbs(mup.gradients().toDoubleArray()), m[0]);
                assertTrue(maxAbs(output(CPU, mup, x)) > 0, m[0] + ": output still zero after a step");
                // Input gradients take the copy onto the tape: only x (and θ) receive gradients through it.
                mup.zeroGrad();
                try (Scope t = Scope.open(); var g = optlab.tensor.autodiff.Graph.open(CPU, t)) {
                    var vx = optlab.tensor.autodiff.Variable.parameter(x, t);
                    var y = mup.forward(g, vx);
                    g.backward(g.mse(y, optlab.tensor.autodiff.Variable.constant(target)));
                    assertTrue(maxAbs(vx.grad().toDoubleArray()) > 0, m[0] + ": no input gradient");
                    assertNotEquals(0, maxAbs(mup.gradients().toDoubleArray()), m[0]);
                }
            }
        }
    }

    /** (f_θ − f_θ0)/γ0: after the same parameter change, f at γ0 = a is b/a times f at γ0 = b. */
    @Test
    void gammaScalesTheOutputExactly() {
        for (String[] m : MODELS) {
            for (Parameterization.Kind kind : new Parameterization.Kind[] {Parameterization.Kind.NTK,
                    Parameterization.Kind.MUP}) {
                try (Scope s = Scope.open();
                        Model a = new Parameterization(kind, 1e-3).build(m[0], DType.F64, InitScheme.PYTORCH, 9);
                        Model b = new Parameterization(kind, 10).build(m[0], DType.F64, InitScheme.PYTORCH, 9)) {
                    SplittableRandom rng = new SplittableRandom(3);
                    Tensor pa = a.parameters(), pb = b.parameters();
                    for (long i = 0; i < pa.numel(); i++) {
                        double d = 0.05 * (2 * rng.nextDouble() - 1);
                        pa.setFlat(i, pa.getFlat(i) + d);
                        pb.setFlat(i, pb.getFlat(i) + d);
                    }
                    a.eval();
                    b.eval();
                    Tensor x = inputs(s, DType.F64, 4, shape(m[1]));
                    double[] ya = output(CPU, a, x), yb = output(CPU, b, x);
                    assertTrue(maxAbs(yb) > 1e-4, m[0] + " " + kind + ": output did not move");
                    for (int i = 0; i < ya.length; i++) {
                        assertEquals(yb[i] * (10 / 1e-3), ya[i], 1e-12 * Math.abs(ya[i]) + 1e-300,
                                m[0] + " " + kind + " [" + i + "]");
                    }
                }
            }
        }
    }

    /**
     * μP at γ0 is NTK at γ = γ0·√N (N the readout's fan-in): same init, same outputs, and with the same
     * learning rate the same SGD trajectory — the identity behind the README's mapping of γ0 to the paper's γ.
     */
    @Test
    void mupAtGamma0IsNtkAtGamma0TimesSqrtN() {
        String spec = "mlp:20-16-16-10"; // readout fan-in N = 16, √N = 4
        try (Scope s = Scope.open(); Model mup = Parameterization.mup(0.5).build(spec, DType.F64, InitScheme.PYTORCH, 6);
                Model ntk = Parameterization.ntk(2).build(spec, DType.F64, InitScheme.PYTORCH, 6)) {
            assertArrayEquals(mup.parameters().toDoubleArray(), ntk.parameters().toDoubleArray(), 0);
            Tensor x = inputs(s, DType.F64, 1, 8, 20);
            Tensor y = ParamTesting.oneHot(s, DType.F64, 8, 10);
            for (int step = 0; step < 3; step++) {
                double a = ParamTesting.sgdStep(CPU, mup, x, y, 0.3), b = ParamTesting.sgdStep(CPU, ntk, x, y, 0.3);
                assertEquals(a, b, 1e-12 * Math.abs(a), "loss at step " + step);
            }
            double[] fm = output(CPU, mup, x), fn = output(CPU, ntk, x);
            assertTrue(maxAbs(fm) > 1e-3, "the steps moved the output: " + maxAbs(fm));
            for (int i = 0; i < fm.length; i++) {
                assertEquals(fm[i], fn[i], 1e-11 * maxAbs(fm), "output " + i);
            }
        }
    }

    /** Finite differences through the whole centered, scaled model (input and trainable parameters), in F64. */
    @Test
    void gradientsOfTheCenteredModelPassFiniteDifferences() {
        for (String spec : new String[] {"mup:gamma0=0.3", "ntk:gamma0=2"}) {
            for (String[] m : spec.startsWith("mup") ? new String[][] {MODELS[0], MODELS[1]} : new String[][] {MODELS[0]}) {
                try (Scope s = Scope.open();
                        Model model = Parameterization.parse(spec).build(m[0], DType.F64, InitScheme.PYTORCH, 4)) {
                    // Move away from θ0 so that f_θ − f_θ0 is not identically zero.
                    SplittableRandom rng = new SplittableRandom(8);
                    Tensor p = model.parameters();
                    for (long i = 0; i < p.numel(); i++) {
                        p.setFlat(i, p.getFlat(i) + 0.1 * (2 * rng.nextDouble() - 1));
                    }
                    Tensor x = inputs(s, DType.F64, 2, shape(m[1]));
                    var r = optlab.models.TestModels.gradCheck(CPU, model, x, model::forward);
                    assertTrue(r.checked() > 0, spec + " " + m[0] + ": " + r);
                }
            }
        }
    }

    /** Hidden layers get 1/√fan_in (conv: input channels), the readout 1/fan_in (μP) or 1/√fan_in (NTK). */
    @Test
    void multipliersFollowFanIn() {
        for (String[] m : MODELS) {
            Module mupRoot = Zoo.parse(m[0]);
            Module readout = LayerScaling.apply(mupRoot, Parameterization.Kind.MUP);
            Module ntkRoot = Zoo.parse(m[0]);
            LayerScaling.apply(ntkRoot, Parameterization.Kind.NTK);
            var mupModules = mupRoot.modules();
            var ntkModules = ntkRoot.modules();
            assertEquals(mupModules.get(mupModules.size() - 1), readout, m[0] + ": readout is the last module");
            int scaled = 0;
            for (int i = 0; i < mupModules.size(); i++) {
                Module mu = mupModules.get(i), nt = ntkModules.get(i);
                boolean head = mu == readout;
                switch (mu) {
                    case Linear l -> {
                        assertEquals(head ? 1.0 / l.inFeatures() : 1 / Math.sqrt(l.inFeatures()), l.multiplier(), 1e-15);
                        assertEquals(1 / Math.sqrt(l.inFeatures()), ((Linear) nt).multiplier(), 1e-15);
                        scaled++;
                    }
                    case ClassificationHead h -> {
                        assertEquals(1.0 / h.inFeatures(), h.multiplier(), 1e-15);
                        assertEquals(1 / Math.sqrt(h.inFeatures()), ((ClassificationHead) nt).multiplier(), 1e-15);
                        scaled++;
                    }
                    case Conv2d c -> {
                        assertEquals(1 / Math.sqrt(c.inChannels()), c.multiplier(), 1e-15);
                        assertEquals(1 / Math.sqrt(c.inChannels()), ((Conv2d) nt).multiplier(), 1e-15);
                        scaled++;
                    }
                    default -> {
                    }
                }
            }
            assertTrue(scaled >= 3, m[0]);
        }
    }

    @Test
    void unitInitDrawsStandardNormalWeightsAndBiases() {
        try (Model m = Parameterization.mup(1).build("mlp:400-300-10", DType.F64, InitScheme.PYTORCH, 2)) {
            for (String name : new String[] {"0.weight", "0.bias", "2.weight"}) {
                double[] v = m.parameter(name).value().toDoubleArray();
                double mean = java.util.Arrays.stream(v).average().orElseThrow();
                double var = java.util.Arrays.stream(v).map(d -> (d - mean) * (d - mean)).sum() / v.length;
                double tol = 5 / Math.sqrt(v.length);
                assertEquals(0, mean, tol, name);
                assertEquals(1, var, 2 * tol, name);
            }
        }
    }

    @Test
    void thePapersCnnHasValidConvsAndTheExpectedShapes() {
        try (Model m = Parameterization.mup(1).build("cnn:in=1x28x28,conv=4-8,fc=32,pool=avg,pad=valid", DType.F32,
                InitScheme.PYTORCH, 1)) {
            // 28 → conv 26 → pool 13 → conv 11 → pool 5: fc in = 8·5·5, as the reference's (H/4 − 2)·(W/4 − 2)·2N.
            assertArrayEquals(new int[] {4, 1, 3, 3}, m.parameter("0.weight").value().shape());
            assertArrayEquals(new int[] {8, 4, 3, 3}, m.parameter("3.weight").value().shape());
            assertArrayEquals(new int[] {32, 200}, m.parameter("7.weight").value().shape());
            assertArrayEquals(new int[] {10, 32}, m.parameter("9.weight").value().shape());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Zoo.parse("cnn:in=1x28x28,conv=4,pad=full"));
        assertTrue(e.getMessage().contains("pad"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.parse("cnn:in=1x6x6,conv=4-8,pad=valid"));
        assertTrue(e.getMessage().contains("below 1x1"), e.getMessage());
    }

    @Test
    void aModelWithoutReadoutIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LayerScaling.apply(new optlab.models.layers.Flatten(), Parameterization.Kind.MUP));
        assertTrue(e.getMessage().contains("readout"), e.getMessage());
    }
}
