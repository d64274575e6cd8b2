package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import optlab.optim.DensePaths.Layer;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Path-SGD's place in the optimizer contract (hyperparameter checks, spec round trip, state layout,
 * save and reload) and its step on a net small enough to compute by hand. The kernels themselves are
 * checked against the oracle in {@code optlab.optim.internal.PathKernelTest}.
 */
class PathSGDTest {

    /** 2-2-1 net, block [W1 (2×2), b1, W2 (1×2), b2]. */
    static final List<Layer> NET = List.of(new Layer(0, 2, 2, 4), new Layer(6, 1, 2, 8));
    static final double[] W = {1, 2, 0.5, -1, /* b1 */ 1, 0, /* W2 */ 2, -1, /* b2 */ 0.5};
    static final double[] G = {0.4, -0.8, 0.2, 0.1, /* b1 */ 0.4, -0.3, /* W2 */ 1.2, 0.6, /* b2 */ 0.5};

    /**
     * By hand, p = 2, lr = 0.1. Forward of the squared net from γ0 = (1, 1):
     * γ1 = (1² + 2² + 1², 0.5² + 1² + 0²) = (6, 1.25); φ² = γ2 = 2²·6 + 1²·1.25 + 0.5² = 25.5.
     * Backward from δ2 = 1: κ(W2) = γ1 = (6, 1.25), κ(b2) = 1; δ1 = (2², 1²) = (4, 1), so κ(W1 row 0) = 4,
     * κ(W1 row 1) = 1, κ(b1) = (4, 1). Step w − 0.1·g/κ:
     * W1 = (1 − .04/4, 2 + .08/4; .5 − .02, −1 − .01) = (0.99, 2.02; 0.48, −1.01), b1 = (0.99, 0.03),
     * W2 = (2 − .12/6, −1 − .06/1.25) = (1.98, −1.048), b2 = 0.45.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void stepOnTwoLayerNetMatchesHandComputation(DType dtype) {
        double[] want = {0.99, 2.02, 0.48, -1.01, 0.99, 0.03, 1.98, -1.048, 0.45};
        double[] kappa = {4, 4, 1, 1, 4, 1, 6, 1.25, 1};
        double tol = dtype == DType.F32 ? 1e-6 : 1e-15;
        DensePaths net = new DensePaths(9, NET);
        try (Scope s = Scope.open()) {
            Tensor p = OptimConfigs.of(s, dtype, W), g = OptimConfigs.of(s, dtype, G), k = s.zeros(dtype, 9);
            assertEquals(25.5, net.kappa(p, 2, k), tol);
            assertArrayEquals(kappa, k.toDoubleArray(), tol);
            assertEquals(Math.sqrt(25.5), net.pathNorm(p, 2), tol * 10);
            PathSGD opt = new PathSGD(0.1);
            try (OptimizerState st = opt.init(p, net)) {
                opt.step(st, p, g);
                assertEquals(1, st.step());
            }
            assertArrayEquals(want, p.toDoubleArray(), tol * 4);
        }
    }

    /** With one layer [n, 1] every κ is 1: Path-SGD is plain SGD, to the bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void unitKappaIsSgd(DType dtype) {
        int n = 37;
        DensePaths single = new DensePaths(n, List.of(new Layer(0, n, 1, -1)));
        double[] x0 = OptimConfigs.uniform(3, n, -3, 3), center = OptimConfigs.uniform(2, n, -1, 1);
        try (Scope s = Scope.open()) {
            Tensor a = OptimConfigs.of(s, dtype, x0), b = OptimConfigs.of(s, dtype, x0), g = s.zeros(dtype, n);
            PathSGD path = new PathSGD(0.1);
            SGD sgd = new SGD(0.1);
            try (OptimizerState sp = path.init(a, single); OptimizerState ss = sgd.init(b)) {
                for (int t = 0; t < 400; t++) {
                    for (int i = 0; i < n; i++) {
                        g.setFlat(i, a.getFlat(i) - center[i]); // ∇ of ½|x − c|²
                    }
                    path.step(sp, a, g);
                    sgd.step(ss, b, g);
                }
            }
            assertArrayEquals(b.toDoubleArray(), a.toDoubleArray(), 0, dtype + ": path-sgd vs sgd");
            assertArrayEquals(center, a.toDoubleArray(), dtype == DType.F32 ? 1e-6 : 1e-12);
        }
    }

    @Test
    void rejectsBadHyperparameters() {
        assertEquals("Invalid learning rate: -1",
                assertThrows(IllegalArgumentException.class, () -> new PathSGD(-1, 2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PathSGD(Double.NaN, 2));
        for (double p : new double[] {0, -2, Double.NaN, Double.POSITIVE_INFINITY}) {
            String m = assertThrows(IllegalArgumentException.class, () -> new PathSGD(0.1, p)).getMessage();
            assertTrue(m.contains("path norm exponent p") && m.contains("> 0"), m);
        }
        assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("path-sgd:lr=0.1,p=0"));
        String m = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("path-sgd:lr=0.1,momentum=0.9"))
                .getMessage();
        assertTrue(m.contains("unknown key 'momentum'") && m.contains("lr, p"), m);
    }

    @Test
    void specRoundTrips() {
        for (PathSGD o : List.of(new PathSGD(0.05), new PathSGD(1e-3, 1), new PathSGD(0.2, 3.5))) {
            assertEquals(o, Optimizers.parse(o.spec()));
        }
        assertEquals("path-sgd:lr=0.05,p=2.0", new PathSGD(0.05).spec());
        assertEquals(new PathSGD(0.01, 2), Optimizers.parse("path-sgd"));
        assertEquals(new PathSGD(0.3, 2), Optimizers.parse("PATH-SGD:lr=0.3"));
        assertTrue(Optimizers.NAMES.contains("path-sgd"));
        assertEquals("path-sgd", new PathSGD(1).name());
    }

    @Test
    void plainInitNeedsTheStructure() {
        try (Scope s = Scope.open()) {
            Tensor p = s.zeros(DType.F32, 9);
            String m = assertThrows(IllegalArgumentException.class, () -> new PathSGD(0.1).init(p)).getMessage();
            assertTrue(m.startsWith("this parameter block has no path structure"), m);
            // A space that carries one is enough.
            DensePaths ok = new DensePaths(9, NET);
            ParamSpace space = new ParamSpace() {
                public Tensor values() {
                    return p;
                }

                public List<ParamRange> ranges() {
                    return ParamSpace.of(p).ranges();
                }

                @Override
                public PathStructure pathStructure() {
                    return ok;
                }
            };
            try (OptimizerState st = new PathSGD(0.1).init(space)) {
                assertEquals(List.of(), st.names());
            }
            // A structure for another block is refused.
            DensePaths net = new DensePaths(9, NET);
            Tensor q = s.zeros(DType.F32, 10);
            m = assertThrows(IllegalArgumentException.class, () -> new PathSGD(0.1).init(q, net)).getMessage();
            assertTrue(m.contains("describes 9 parameters, params hold 10"), m);
        }
    }

    @Test
    void stridedBlocksAreRefused() {
        DensePaths net = new DensePaths(9, NET);
        try (Scope s = Scope.open()) {
            Tensor strided = s.zeros(DType.F64, 18).slice(0, 0, 18, 2), flat = s.zeros(DType.F64, 9);
            String m = assertThrows(IllegalArgumentException.class, () -> net.kappa(strided, 2, flat)).getMessage();
            assertTrue(m.contains("params must be a contiguous block"), m);
            m = assertThrows(IllegalArgumentException.class, () -> net.kappa(flat, 2, strided)).getMessage();
            assertTrue(m.contains("kappa must be a contiguous block"), m);
            PathSGD opt = new PathSGD(0.1);
            try (OptimizerState st = opt.init(flat, net)) {
                assertThrows(IllegalArgumentException.class, () -> opt.step(st, flat, strided));
                assertThrows(IllegalArgumentException.class, () -> net.kappa(flat, 0, flat));
            }
        }
    }

    @Test
    void denseChainsMustCoverTheBlock() {
        assertThrows(IllegalArgumentException.class, () -> new DensePaths(10, NET));
        assertThrows(IllegalArgumentException.class, () -> new DensePaths(9, List.of(new Layer(0, 2, 2, 4),
                new Layer(6, 1, 3, 8))));
        assertThrows(IllegalArgumentException.class, () -> new DensePaths(9, List.of(new Layer(0, 2, 2, 4),
                new Layer(5, 1, 2, 8))));
        assertThrows(IllegalArgumentException.class, () -> new DensePaths(0, List.of()));
    }

    /** No buffers (κ is recomputed every step), the step count advances, and a reloaded state continues bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void saveAndReloadContinueBitForBit(DType dtype) throws IOException {
        List<Layer> chain = List.of(new Layer(0, 5, 3, 15), new Layer(20, 2, 5, -1));
        DensePaths net = new DensePaths(30, chain);
        PathSGD opt = new PathSGD(0.05);
        double[] w0 = OptimConfigs.uniform(4, 30, -1, 1);
        try (Scope s = Scope.open()) {
            Tensor a = OptimConfigs.of(s, dtype, w0), b = OptimConfigs.of(s, dtype, w0), g = s.zeros(dtype, 30);
            byte[] saved;
            try (OptimizerState sa = opt.init(a, net); OptimizerState sb = opt.init(b, new DensePaths(30, chain))) {
                assertEquals(List.of(), sa.names());
                for (int t = 0; t < 2; t++) {
                    OptimConfigs.fill(g, OptimConfigs.uniform(50 + t, 30, -1, 1));
                    opt.step(sa, a, g);
                    opt.step(sb, b, g);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                sb.save(out);
                saved = out.toByteArray();
                for (int t = 2; t < 4; t++) {
                    OptimConfigs.fill(g, OptimConfigs.uniform(50 + t, 30, -1, 1));
                    opt.step(sa, a, g);
                }
                assertEquals(4, sa.step());
            }
            try (OptimizerState sb = OptimizerState.load(new ByteArrayInputStream(saved))) {
                assertEquals(2, sb.step());
                String m = assertThrows(IllegalStateException.class, () -> opt.step(sb, b, g)).getMessage();
                assertTrue(m.contains("resume(state, space)"), m);
                opt.resume(sb, new ParamSpace() {
                    public Tensor values() {
                        return b;
                    }

                    public List<ParamRange> ranges() {
                        return ParamSpace.of(b).ranges();
                    }

                    @Override
                    public PathStructure pathStructure() {
                        return net;
                    }
                });
                for (int t = 2; t < 4; t++) {
                    OptimConfigs.fill(g, OptimConfigs.uniform(50 + t, 30, -1, 1));
                    opt.step(sb, b, g);
                }
                assertEquals(4, sb.step());
            }
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0);
        }
    }
}
