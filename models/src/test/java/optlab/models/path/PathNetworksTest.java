package optlab.models.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.layers.Activation;
import optlab.models.layers.AvgPool2d;
import optlab.models.layers.BatchNorm1d;
import optlab.models.layers.Conv2d;
import optlab.models.layers.Dropout;
import optlab.models.layers.Flatten;
import optlab.models.layers.Linear;
import optlab.models.layers.MaxPool2d;
import optlab.models.layers.Sequential;
import optlab.models.zoo.Mlp;
import optlab.models.zoo.Zoo;
import optlab.optim.DensePaths;
import optlab.optim.PathStructure;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * κ and φ^p of the path structures against brute force over every input→output path ({@link BruteForcePaths}):
 * a 3-4-3-2 MLP with biases (the dense GEMV kernels) and a small CNN with padded convolutions, padded
 * max pooling, average pooling and a Linear head (the autodiff |w|^p network), for p = 2, 1 and 3; the
 * dense kernels against the autodiff network on a wider MLP; refusals of models Path-SGD is undefined for.
 */
class PathNetworksTest {

    /** The tiny MLP, with biases. */
    static Model mlp(DType dtype, long seed) {
        return Model.build(Mlp.of(3, 4, 3, 2), dtype, InitScheme.PYTORCH, seed);
    }

    /** 2×6×6 → conv 3 (k3, p1) → ReLU → max 3/2 (p1) → 3×3×3 → conv 2 (k3, p1) → ReLU → avg 3/1 (p1) → 18 → Linear 3. */
    static Model cnn(DType dtype, long seed) {
        return Model.build(new Sequential(new Conv2d(2, 3, 3, 1, 1, true), Activation.relu(), new MaxPool2d(3, 2, 1),
                new Conv2d(3, 2, 3, 1, 1, true), Activation.relu(), new AvgPool2d(3, 1, 1), new Flatten(),
                new Linear(18, 3)), dtype, InitScheme.PYTORCH, seed);
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(doubles = {2, 1, 3})
    void mlpKappaMatchesBruteForce(double p) {
        try (Model m = mlp(DType.F64, 1); Scope s = Scope.open()) {
            PathStructure paths = PathNetworks.of(m);
            assertInstanceOf(DensePaths.class, paths);
            BruteForcePaths brute = new BruteForcePaths(m, p, 3);
            assertEquals(3 * 4 * 3 * 2 + 4 * 3 * 2 + 3 * 2 + 2, brute.paths); // input paths, then from each bias
            Tensor kappa = s.zeros(DType.F64, (int) m.numParameters());
            assertClose("phi^p", brute.phi, paths.kappa(m.parameters(), p, kappa), 1e-13);
            assertClose("kappa", brute.kappa, kappa.toDoubleArray(), 1e-13);
            assertClose("path norm", Math.pow(brute.phi, 1 / p), paths.pathNorm(m.parameters(), p), 1e-13);
        }
    }

    /** Forward multipliers (a parameterization's 1/√fan_in) weigh their layer's edges by |m|^p. */
    @ParameterizedTest(name = "p={0}")
    @ValueSource(doubles = {2, 1, 3})
    void multipliersMatchBruteForce(double p) {
        Linear a = new Linear(3, 4), b = new Linear(4, 2);
        a.setMultiplier(0.3);
        b.setMultiplier(1.7);
        Conv2d c = new Conv2d(2, 3, 3, 1, 1, true).setMultiplier(0.4);
        try (Model m = Model.build(new Sequential(a, Activation.relu(), b), DType.F64, InitScheme.PYTORCH, 3);
                Model k = Model.build(new Sequential(c, Activation.relu(), new MaxPool2d(2), new Flatten(),
                        new Linear(12, 2)), DType.F64, InitScheme.PYTORCH, 4);
                Scope s = Scope.open()) {
            for (Model model : List.of(m, k)) {
                PathStructure paths = model == m ? PathNetworks.of(model) : PathNetworks.of(model, 2, 4, 4);
                BruteForcePaths brute = model == m ? new BruteForcePaths(model, p, 3) : new BruteForcePaths(model, p, 2, 4, 4);
                Tensor kappa = s.zeros(DType.F64, (int) model.numParameters());
                assertClose("phi^p", brute.phi, paths.kappa(model.parameters(), p, kappa), 1e-12);
                assertClose("kappa", brute.kappa, kappa.toDoubleArray(), 1e-12);
            }
        }
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(doubles = {2, 1, 3})
    void cnnKappaMatchesBruteForce(double p) {
        try (Model m = cnn(DType.F64, 2); Scope s = Scope.open()) {
            PathStructure paths = PathNetworks.of(m, 2, 6, 6);
            BruteForcePaths brute = new BruteForcePaths(m, p, 2, 6, 6);
            assertTrue(brute.paths > 100_000, "paths " + brute.paths);
            Tensor kappa = s.zeros(DType.F64, (int) m.numParameters());
            assertClose("phi^p", brute.phi, paths.kappa(m.parameters(), p, kappa), 1e-12);
            assertClose("kappa", brute.kappa, kappa.toDoubleArray(), 1e-12);
            assertClose("path norm", Math.pow(brute.phi, 1 / p), paths.pathNorm(m.parameters(), p), 1e-12);
            // Every parameter lies on some path here.
            for (double k : kappa.toDoubleArray()) {
                assertTrue(k > 0, "kappa " + k);
            }
        }
    }

    @Test
    void f32KappaMatchesBruteForce() {
        for (Model m : List.of(mlp(DType.F32, 3), cnn(DType.F32, 4))) {
            try (m; Scope s = Scope.open()) {
                boolean conv = m.root() instanceof Sequential q && q.get(0) instanceof Conv2d;
                PathStructure paths = conv ? PathNetworks.of(m, 2, 6, 6) : PathNetworks.of(m);
                BruteForcePaths brute = conv ? new BruteForcePaths(m, 2, 2, 6, 6) : new BruteForcePaths(m, 2, 3);
                Tensor kappa = s.zeros(DType.F32, (int) m.numParameters());
                assertClose("phi^p", brute.phi, paths.kappa(m.parameters(), 2, kappa), 1e-5);
                assertClose("kappa", brute.kappa, kappa.toDoubleArray(), 1e-5);
            }
        }
    }

    /** The dense GEMV kernels and the autodiff |w|^p network agree on an MLP with awkward widths and dropout. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"F32", "F64"})
    void denseKernelsMatchTheAutodiffNetwork(String dt) {
        DType dtype = DType.valueOf(dt);
        try (Model m = Model.build(Mlp.of(new int[] {17, 33, 1, 65, 9}, "relu", true, 0.3), dtype, InitScheme.PYTORCH, 5);
                Scope s = Scope.open()) {
            PathStructure dense = PathNetworks.of(m), graph = PathNetworks.graph(m);
            int n = (int) m.numParameters();
            Tensor a = s.zeros(dtype, n), b = s.zeros(dtype, n);
            double tol = dtype == DType.F32 ? 1e-5 : 1e-12;
            assertClose("phi^p", graph.kappa(m.parameters(), 2, b), dense.kappa(m.parameters(), 2, a), tol);
            assertClose("kappa", b.toDoubleArray(), a.toDoubleArray(), tol);
        }
    }

    @Test
    void refusesModelsWithoutPathStructure() {
        try (Model m = Zoo.build("resnet:blocks=1-1,width=4,classes=3", DType.F32, InitScheme.PYTORCH, 1)) {
            String msg = refusal(m);
            assertTrue(msg.contains("ResNet") && msg.contains("BatchNorm") && msg.contains("Path-SGD supports"), msg);
        }
        try (Model m = Zoo.build("vit:image=8,patch=4,dim=8,depth=1,heads=2,classes=3", DType.F32, InitScheme.PYTORCH, 1)) {
            String msg = refusal(m);
            assertTrue(msg.contains("VisionTransformer") || msg.contains("PatchEmbedding"), msg);
        }
        try (Model m = Zoo.build("mlp:4-5-3,act=gelu", DType.F32, InitScheme.PYTORCH, 1)) {
            String msg = refusal(m);
            assertTrue(msg.contains("GELU() at '1'") && msg.contains("only ReLU"), msg);
        }
        try (Model m = Model.build(new Sequential(new Linear(4, 5), new BatchNorm1d(5), Activation.relu(), new Linear(5, 2)),
                DType.F32, InitScheme.PYTORCH, 1)) {
            String msg = refusal(m);
            assertTrue(msg.contains("at '1'") && msg.contains("normalization"), msg);
        }
    }

    @Test
    void refusesAnOutputStageButTakesLayerMultipliers() {
        try (Model m = optlab.models.param.Parameterization.mup(0.5).build("mlp:4-6-2", DType.F64, InitScheme.GAUSSIAN, 1)) {
            String msg = refusal(m);
            assertTrue(msg.contains("output stage"), msg);
        }
        // standard with γ0 = 1 has no output stage: the layers are plain.
        try (Model m = optlab.models.param.Parameterization.STANDARD.build("mlp:4-6-2", DType.F64, InitScheme.GAUSSIAN, 1)) {
            assertInstanceOf(DensePaths.class, PathNetworks.of(m));
        }
    }

    private static String refusal(Model m) {
        return assertThrows(IllegalArgumentException.class, () -> PathNetworks.of(m)).getMessage();
    }

    @Test
    void convNetInputSize() {
        // Two pools of 2: a 28×28 and a 29×29 input both end at 7×7, so the size must be given.
        try (Model m = Zoo.build("cnn:in=1x28x28,conv=2-3,classes=4", DType.F32, InitScheme.PYTORCH, 1)) {
            String msg = assertThrows(IllegalArgumentException.class, () -> PathNetworks.of(m)).getMessage();
            assertTrue(msg.contains("28 and 29") && msg.contains("PathNetworks.of(model, C, H, W)"), msg);
            assertTrue(PathNetworks.of(m, 1, 28, 28).pathNorm(m.parameters(), 2) > 0);
            assertThrows(IllegalArgumentException.class, () -> PathNetworks.of(m, 1, 32, 32));
            assertThrows(IllegalArgumentException.class, () -> PathNetworks.of(m, 28, 28));
        }
        // A valid 3×3 conv and no pooling: only a 5×5 input gives 3×3 features.
        try (Model m = Model.build(new Sequential(new Conv2d(1, 2, 3, 1, 0, true), Activation.relu(), new Flatten(),
                new Dropout(0.1), new Linear(2 * 3 * 3, 2)), DType.F64, InitScheme.PYTORCH, 1)) {
            assertEquals(PathNetworks.of(m, 1, 5, 5).pathNorm(m.parameters(), 2), PathNetworks.of(m).pathNorm(m.parameters(), 2));
        }
    }

    static void assertClose(String what, double expected, double actual, double rtol) {
        if (!(Math.abs(actual - expected) <= rtol * Math.abs(expected) + 1e-300)) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }

    static void assertClose(String what, double[] expected, double[] actual, double rtol) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= rtol * Math.abs(expected[i]) + 1e-15 * scale)) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
