package optlab.optim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import optlab.optim.DensePaths;
import optlab.optim.DensePaths.Layer;
import optlab.optim.OptimizerState;
import optlab.optim.PathSGD;
import optlab.optim.PathStructure;
import optlab.optim.reference.RefPaths;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dense-chain path kernels (κ, φ and the fused Path-SGD step) and the generic κ-dividing update
 * against the scalar double oracle {@link RefPaths}: chains with awkward widths (1, lanes ± 1 at every
 * width, a large prime), with and without biases, a hidden unit with no path through it (κ = 0), layers
 * large enough to split over cores, a layer with a forward multiplier, the block at an offset inside a larger segment, p = 2, 1 and 3, F32
 * and F64. Surefire repeats this class at forced 256- and 128-bit widths.
 */
class PathKernelTest {
    /** Unit counts per boundary, inputs first. */
    static final int[][] CHAINS = {
        {1, 1}, {3, 4, 3, 2}, {7, 9, 15, 1}, {17, 33, 31, 5}, {63, 65, 127, 2}, {2, 513, 300, 3}, {4099, 37, 3}};

    /** Chains from this index on have layers split over cores. */
    static final int LARGE = 5;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (DType d : DType.values()) {
            for (double p : new double[] {2, 1, 3}) {
                for (int c = 0; c < CHAINS.length; c++) {
                    if (p != 2 && c >= LARGE) {
                        continue; // general p is the same loop with another power: small chains cover it
                    }
                    out.add(Arguments.of(d, p, c));
                }
            }
        }
        return out;
    }

    /** A chain over a block laid out as a Model does: weight then bias per layer (every other layer biased). */
    static List<Layer> layers(int[] sizes) {
        List<Layer> layers = new ArrayList<>();
        long off = 0;
        for (int k = 0; k + 1 < sizes.length; k++) {
            long w = off;
            off += (long) sizes[k] * sizes[k + 1];
            long b = -1;
            if (k % 2 == 0) {
                b = off;
                off += sizes[k + 1];
            }
            // Layer 1 carries a forward multiplier (a parameterization's 1/√fan_in).
            layers.add(new Layer(w, sizes[k + 1], sizes[k], b, k == 1 ? 1 / Math.sqrt(sizes[k]) : 1));
        }
        return layers;
    }

    static int numel(List<Layer> layers) {
        int n = 0;
        for (Layer l : layers) {
            n += l.out() * l.in() + (l.bias() >= 0 ? l.out() : 0);
        }
        return n;
    }

    /** Weights ~ U(±1/√in); with a hidden layer, unit 0 of the first one gets no outgoing weight (κ = 0 upstream). */
    static double[] weights(DType dtype, List<Layer> layers, long seed, boolean deadUnit) {
        double[] w = new double[numel(layers)];
        SplittableRandom r = new SplittableRandom(seed);
        for (Layer l : layers) {
            double s = 1 / Math.sqrt(l.in());
            for (int e = 0; e < l.out() * l.in(); e++) {
                w[(int) l.weight() + e] = round(dtype, (2 * r.nextDouble() - 1) * s);
            }
            for (int o = 0; l.bias() >= 0 && o < l.out(); o++) {
                w[(int) l.bias() + o] = round(dtype, (2 * r.nextDouble() - 1) * s);
            }
        }
        if (deadUnit && layers.size() > 1) {
            Layer next = layers.get(1);
            for (int o = 0; o < next.out(); o++) {
                w[(int) next.weight() + o * next.in()] = 0;
            }
        }
        return w;
    }

    static double round(DType dtype, double v) {
        return dtype == DType.F32 ? (float) v : v;
    }

    @ParameterizedTest(name = "{0} p={1} chain {2}")
    @MethodSource("cases")
    void kappaAndPathNormMatchReference(DType dtype, double p, int chain) {
        List<Layer> layers = layers(CHAINS[chain]);
        int n = numel(layers);
        double[] w = weights(dtype, layers, chain, true);
        double[] phi = new double[1];
        double[] want = RefPaths.kappa(layers, w, p, phi);
        DensePaths paths = new DensePaths(n, layers);
        try (Scope scope = Scope.open()) {
            Tensor params = block(scope, dtype, w, 3), kappa = scope.full(dtype, Double.NaN, n + 2).slice(0, 1, n + 1);
            double got = paths.kappa(params, p, kappa);
            String what = dtype + " p=" + p + " chain " + chain;
            close(what + " phi^p", phi[0], got, dtype);
            close(what + " path norm", Math.pow(phi[0], 1 / p), paths.pathNorm(params, p), dtype);
            close(what + " phi^p, scalar twin", phi[0], PathKernels.forwardScalar(dtype, layers.toArray(Layer[]::new),
                    params.segment(), params.offset(), p), dtype);
            assertClose(what + " kappa", want, kappa, dtype);
            if (layers.size() > 1) {
                assertEquals(0.0, kappa.getFlat(layers.getFirst().weight()), what + ": no path through unit 0");
            }
        }
    }

    /**
     * Each step starts both blocks from the oracle's current weights and compares the change Δw against
     * the oracle's: Path-SGD's steps are large where κ is small, so comparing weights after several
     * steps would mostly measure how F32 rounding is amplified, not the kernels.
     */
    @ParameterizedTest(name = "{0} p={1} chain {2}")
    @MethodSource("cases")
    void fusedAndGenericStepsMatchReference(DType dtype, double p, int chain) {
        List<Layer> layers = layers(CHAINS[chain]);
        int n = numel(layers);
        DensePaths dense = new DensePaths(n, layers);
        PathSGD opt = new PathSGD(0.01, p);
        double[] ref = weights(dtype, layers, 100 + chain, false);
        try (Scope scope = Scope.open()) {
            Tensor fused = block(scope, dtype, ref, 3), plain = block(scope, dtype, ref, 1);
            Tensor g = block(scope, dtype, new double[n], 5);
            try (OptimizerState sf = opt.init(fused, dense); OptimizerState sg = opt.init(plain, generic(dense))) {
                for (int k = 0; k < 2; k++) {
                    double[] before = ref.clone(), gv = uniform(dtype, 1000 + k, n);
                    fill(fused, before);
                    fill(plain, before);
                    fill(g, gv);
                    double lr = k == 1 ? 0.02 : opt.lr();
                    RefPaths.step(layers, ref, gv, p, lr);
                    opt.step(sf, fused, g, lr);
                    opt.step(sg, plain, g, lr);
                    String what = dtype + " p=" + p + " chain " + chain + " step " + (k + 1);
                    assertSameStep(what + " fused", before, ref, fused, dtype);
                    assertSameStep(what + " generic", before, ref, plain, dtype);
                    for (int i = 0; i < n; i++) {
                        ref[i] = round(dtype, ref[i]);
                    }
                }
                assertEquals(2, sf.step());
                assertEquals(2, sg.step());
            }
        }
    }

    /** An entry with no path through it (κ = 0, and 0 gradient in a real network) does not move. */
    @ParameterizedTest(name = "{0} p={1} chain {2}")
    @MethodSource("cases")
    void noPathNoStep(DType dtype, double p, int chain) {
        List<Layer> layers = layers(CHAINS[chain]);
        if (layers.size() < 2 || chain >= LARGE) {
            return; // needs a hidden layer; the large chains add nothing here
        }
        int n = numel(layers);
        DensePaths dense = new DensePaths(n, layers);
        PathSGD opt = new PathSGD(0.01, p);
        double[] start = weights(dtype, layers, 7 + chain, true), ref = start.clone(), gv = uniform(dtype, 9, n);
        RefPaths.step(layers, ref, gv, p, opt.lr());
        try (Scope scope = Scope.open()) {
            Tensor fused = block(scope, dtype, start, 2), plain = block(scope, dtype, start, 1);
            Tensor g = block(scope, dtype, gv, 1);
            try (OptimizerState sf = opt.init(fused, dense); OptimizerState sg = opt.init(plain, generic(dense))) {
                opt.step(sf, fused, g);
                opt.step(sg, plain, g);
            }
            String what = dtype + " p=" + p + " chain " + chain;
            assertSameStep(what + " fused", start, ref, fused, dtype);
            assertSameStep(what + " generic", start, ref, plain, dtype);
            Layer first = layers.getFirst();
            for (int i = 0; i < first.in(); i++) {
                assertEquals(start[(int) first.weight() + i], fused.getFlat(first.weight() + i), what + ": row 0 moved");
                assertEquals(start[(int) first.weight() + i], plain.getFlat(first.weight() + i), what + ": row 0 moved");
            }
        }
    }

    /** Not a DensePaths: PathSGD takes the generic route (κ block, then the DIVIDE stage of the update kernel). */
    static PathStructure generic(DensePaths dense) {
        return new PathStructure() {
            @Override
            public double kappa(Tensor params, double q, Tensor kappa) {
                return dense.kappa(params, q, kappa);
            }

            @Override
            public double pathNorm(Tensor params, double q) {
                return dense.pathNorm(params, q);
            }
        };
    }

    /** Δw = after − before matches the oracle's, up to the dtype's rounding of w itself. */
    static void assertSameStep(String what, double[] before, double[] expected, Tensor actual, DType dtype) {
        double rtol = dtype == DType.F32 ? 1e-4 : 1e-11, ulp = dtype == DType.F32 ? 2e-7 : 1e-15;
        for (int i = 0; i < expected.length; i++) {
            double want = expected[i] - before[i], got = actual.getFlat(i) - before[i];
            if (!(Math.abs(got - want) <= rtol * Math.abs(want) + ulp * (Math.abs(before[i]) + Math.abs(want)))) {
                fail(what + ": element " + i + " moved by " + got + ", expected " + want);
            }
        }
        long off = actual.offset();
        assertTrue(Double.isNaN(dtype.get(actual.segment(), off - 1))
                && Double.isNaN(dtype.get(actual.segment(), off + actual.numel())), what + ": guards");
    }

    static void fill(Tensor t, double[] v) {
        for (int i = 0; i < v.length; i++) {
            t.setFlat(i, v[i]);
        }
    }

    static double[] uniform(DType dtype, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = round(dtype, 2 * r.nextDouble() - 1);
        }
        return v;
    }

    /** The values as a block starting {@code at} elements into a larger NaN-guarded segment. */
    static Tensor block(Scope scope, DType dtype, double[] v, int at) {
        Tensor t = scope.full(dtype, Double.NaN, v.length + at + 2).slice(0, at, at + v.length);
        for (int i = 0; i < v.length; i++) {
            t.setFlat(i, v[i]);
        }
        return t;
    }

    /** F32: sums of up to ~4k positive float terms against a double oracle; F64: close to exact. */
    static void assertClose(String what, double[] expected, Tensor actual, DType dtype) {
        assertEquals(expected.length, actual.numel(), what + " length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual.getFlat(i);
            if (!near(e, a, dtype)) {
                fail(what + ": element " + i + " expected " + e + ", got " + a);
            }
        }
        // The elements just outside the block (NaN guards) are untouched.
        long off = actual.offset();
        assertTrue(Double.isNaN(dtype.get(actual.segment(), off - 1))
                && Double.isNaN(dtype.get(actual.segment(), off + actual.numel())), what + ": guards");
    }

    static void close(String what, double expected, double actual, DType dtype) {
        if (!near(expected, actual, dtype)) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }

    static boolean near(double e, double a, DType dtype) {
        double rtol = dtype == DType.F32 ? 1e-4 : 1e-11, atol = dtype == DType.F32 ? 1e-6 : 1e-14;
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }
}
