package optlab.optim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import optlab.optim.OptimConfigs;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The integrators' loops against plain loops in double (rounded to the dtype where the kernel rounds): lengths
 * around the lane counts and the tile, a prime over many tiles, and one past the parallel split, on views that
 * start inside larger blocks. Runs again at each forced vector width (see the module's pom).
 */
class FlowKernelsTest {
    static final int[] SIZES = {0, 1, 2, 3, 5, 7, 9, 15, 17, 31, 33, 255, 257, 511, 513, 4099,
        (int) Kernels.PARALLEL_MIN + 1031};

    static Tensor view(Scope scope, DType dtype, int n, int at, long seed) {
        Tensor big = scope.full(dtype, Double.NaN, n + at + 2);
        Tensor v = big.slice(0, at, at + n);
        OptimConfigs.fill(v, OptimConfigs.uniform(seed, n, -2, 2));
        return v;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void combineMatchesReference(DType dtype) {
        double[] c = {1, -0.37, 0.25, 1.5};
        double tol = dtype == DType.F64 ? 1e-14 : 2e-6;
        for (int n : SIZES) {
            try (Scope scope = Scope.open()) {
                Tensor[] v = {view(scope, dtype, n, 1, n), view(scope, dtype, n, 2, n + 1), view(scope, dtype, n, 3, n + 2),
                    view(scope, dtype, n, 4, n + 3)};
                Tensor out = view(scope, dtype, n, 5, 7);
                double[][] x = new double[4][];
                for (int j = 0; j < 4; j++) {
                    x[j] = v[j].toDoubleArray();
                }
                FlowKernels.combine(out, c, v);
                for (int i = 0; i < n; i++) {
                    double want = c[0] * x[0][i] + c[1] * x[1][i] + c[2] * x[2][i] + c[3] * x[3][i];
                    assertEquals(want, out.getFlat(i), tol * 8, dtype + " n=" + n + " i=" + i);
                }
                // In place on the first input.
                FlowKernels.combine(v[0], new double[] {0.5, 2}, v[0], v[1]);
                for (int i = 0; i < n; i++) {
                    assertEquals(0.5 * x[0][i] + 2 * x[1][i], v[0].getFlat(i), tol * 8, dtype + " in place n=" + n);
                }
                FlowKernels.copy(out, v[2]);
                for (int i = 0; i < n; i++) {
                    assertEquals(x[2][i], out.getFlat(i), 0, "copy");
                }
                assertThrows(IllegalArgumentException.class, () -> FlowKernels.combine(v[1], new double[] {1, 1}, v[0], v[1]));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scaledErrorMatchesReference(DType dtype) {
        double[] c = {5.0 / 72, -1.0 / 12, -1.0 / 9, 1.0 / 8};
        double atol = 1e-3, rtol = 1e-2;
        for (int n : SIZES) {
            try (Scope scope = Scope.open()) {
                Tensor w = view(scope, dtype, n, 1, 3 * n), y = view(scope, dtype, n, 2, 3 * n + 1);
                Tensor[] k = {view(scope, dtype, n, 3, n), view(scope, dtype, n, 4, n + 1), view(scope, dtype, n, 5, n + 2),
                    view(scope, dtype, n, 6, n + 3)};
                double want = 0;
                for (int i = 0; i < n; i++) {
                    double e = 0;
                    for (int j = 0; j < 4; j++) {
                        e += c[j] * k[j].getFlat(i);
                    }
                    double q = e / (atol + rtol * Math.max(Math.abs(w.getFlat(i)), Math.abs(y.getFlat(i))));
                    want += q * q;
                }
                double got = FlowKernels.scaledErrorSquares(w, y, c, k, atol, rtol);
                assertEquals(want, got, (dtype == DType.F64 ? 1e-12 : 1e-5) * Math.max(1, want), dtype + " n=" + n);
            }
        }
    }

    /** Each fused stage mode against its formula in double, on offset views (the w0 copy exactly). */
    @ParameterizedTest
    @EnumSource(DType.class)
    void fusedStageMatchesReference(DType dtype) {
        double b = 1.0 / 3, a = -0.05;
        double tol = dtype == DType.F64 ? 1e-14 : 2e-6;
        for (FlowKernels.StageMode mode : FlowKernels.StageMode.values()) {
            for (int n : SIZES) {
                try (Scope scope = Scope.open()) {
                    Tensor p = view(scope, dtype, n, 1, n), w0 = view(scope, dtype, n, 2, n + 1);
                    Tensor d = view(scope, dtype, n, 3, n + 2), g = view(scope, dtype, n, 4, n + 3);
                    double[] p0 = p.toDoubleArray(), w = w0.toDoubleArray(), d0 = d.toDoubleArray(), g0 = g.toDoubleArray();
                    FlowKernels.stage(Team.CALLER, mode, p, w0, d, g, b, a);
                    for (int i = 0; i < n; i++) {
                        String at = dtype + " " + mode + " n=" + n + " i=" + i;
                        switch (mode) {
                            case FIRST -> {
                                assertEquals(p0[i], w0.getFlat(i), 0, at);
                                assertEquals(b * g0[i], d.getFlat(i), tol * 4, at);
                                assertEquals(p0[i] + a * g0[i], p.getFlat(i), tol * 4, at);
                            }
                            case NEXT -> {
                                assertEquals(d0[i] + b * g0[i], d.getFlat(i), tol * 4, at);
                                assertEquals(w[i] + a * g0[i], p.getFlat(i), tol * 4, at);
                            }
                            case LAST_DIRECTION -> {
                                assertEquals(d0[i] + b * g0[i], d.getFlat(i), tol * 4, at);
                                assertEquals(w[i], p.getFlat(i), 0, at);
                            }
                            case FIRST_END, PAIR_FIRST -> {
                                assertEquals(mode == FlowKernels.StageMode.FIRST_END ? p0[i] : w[i], w0.getFlat(i), 0, at);
                                assertEquals(p0[i] + b * g0[i], d.getFlat(i), tol * 4, at);
                                assertEquals(p0[i] + a * g0[i], p.getFlat(i), tol * 4, at);
                            }
                            case LAST_END -> {
                                assertEquals(d0[i], d.getFlat(i), 0, at);
                                assertEquals(w[i], w0.getFlat(i), 0, at + " w0 is not read or written");
                                assertEquals(d0[i] + b * g0[i], p.getFlat(i), tol * 4, at);
                            }
                        }
                        assertEquals(g0[i], g.getFlat(i), 0, at + " g is read only");
                    }
                    assertThrows(IllegalArgumentException.class, () -> FlowKernels.stage(Team.CALLER, mode, p, p, d, g, b, a));
                }
            }
        }
    }
}
