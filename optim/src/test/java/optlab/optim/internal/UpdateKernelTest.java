package optlab.optim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import optlab.optim.OptimConfigs;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.Optimizers;
import optlab.optim.reference.RefRules;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused vector update of every rule against the scalar double reference ({@link RefRules}) on
 * awkward lengths (0, 1, lanes ± 1 at every width, a tile boundary, a large prime), with the block
 * at an odd offset inside a larger segment, in F32 and F64. Surefire repeats this class at forced
 * 256- and 128-bit widths.
 */
class UpdateKernelTest {
    /** Lanes ± 1 for 2..16 lanes, around the F64 (256) and F32 (512) tile sizes, a prime spanning many tiles. */
    static final int[] SIZES = {0, 1, 2, 3, 5, 7, 9, 15, 17, 31, 33, 63, 65, 127, 255, 257, 511, 513, 1025, 4099};
    static final int STEPS = 4;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String spec : OptimConfigs.ALL) {
            for (DType d : DType.values()) {
                out.add(Arguments.of(spec, d));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesReference(String spec, DType dtype) {
        Optimizer opt = Optimizers.parse(spec);
        for (int n : SIZES) {
            try (Scope scope = Scope.open()) {
                // The block starts 3 elements into a larger segment (offset views of one parameter block).
                Tensor pBig = scope.full(dtype, Double.NaN, n + 5), gBig = scope.full(dtype, Double.NaN, n + 7);
                Tensor p = pBig.slice(0, 3, 3 + n), g = gBig.slice(0, 5, 5 + n);
                double[] pRef = round(dtype, OptimConfigs.uniform(n, n, -2, 2));
                OptimConfigs.fill(p, pRef);
                RefRules ref = new RefRules();
                try (OptimizerState state = opt.init(p)) {
                    for (int k = 0; k < STEPS; k++) {
                        double[] gv = round(dtype, OptimConfigs.uniform(1000 + 31L * n + k, n, -1.5, 1.5));
                        OptimConfigs.fill(g, gv);
                        double lr = k == 2 ? opt.lr() * 0.5 : opt.lr(); // one step with an overridden lr
                        opt.step(state, p, g, lr);
                        ref.step(opt, lr, pRef, gv);
                        assertClose(spec + " " + dtype + " n=" + n + " step " + (k + 1), pRef, p, dtype);
                    }
                    assertEquals(STEPS, state.step());
                    for (String name : state.names()) {
                        assertClose(spec + " " + dtype + " n=" + n + " state " + name, ref.state.get(name),
                                state.buffer(name), dtype);
                    }
                }
                // The guard elements around the block are untouched.
                assertEquals(true, Double.isNaN(pBig.getFlat(0)) && Double.isNaN(pBig.getFlat(n + 4)), "guards");
            }
        }
    }

    /** A block long enough to be split over cores matches the reference too (parallel path). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void largeBlockSplitOverCores(DType dtype) {
        int n = (int) Kernels.PARALLEL_MIN * 2 + 1031;
        for (String spec : List.of("adam:lr=0.1,amsgrad=true,weight_decay=0.1", "sgd:lr=0.1,momentum=0.9,nesterov=true")) {
            Optimizer opt = Optimizers.parse(spec);
            try (Scope scope = Scope.open()) {
                Tensor p = scope.empty(dtype, n), g = scope.empty(dtype, n);
                double[] pRef = round(dtype, OptimConfigs.uniform(1, n, -2, 2));
                OptimConfigs.fill(p, pRef);
                RefRules ref = new RefRules();
                try (OptimizerState state = opt.init(p)) {
                    for (int k = 0; k < 2; k++) {
                        double[] gv = round(dtype, OptimConfigs.uniform(10 + k, n, -1.5, 1.5));
                        OptimConfigs.fill(g, gv);
                        opt.step(state, p, g);
                        ref.step(opt, opt.lr(), pRef, gv);
                    }
                    assertClose(spec + " " + dtype + " n=" + n, pRef, p, dtype);
                }
            }
        }
    }

    static double[] round(DType dtype, double[] v) {
        if (dtype == DType.F32) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) v[i];
            }
        }
        return v;
    }

    /** F64: a few ulps of the oracle; F32: float rounding accumulated over a few steps of O(1) values. */
    static void assertClose(String what, double[] expected, Tensor actual, DType dtype) {
        double rtol = dtype == DType.F32 ? 2e-5 : 1e-12, atol = dtype == DType.F32 ? 2e-6 : 1e-14;
        if (expected.length != actual.numel()) {
            fail(what + ": length " + actual.numel() + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual.getFlat(i);
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " expected " + e + ", got " + a);
            }
        }
    }
}
