package optlab.optim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import optlab.tensor.update.UpdateStage.Kind;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fused update bit for bit against a scalar statement of each {@link Kind} formula in the
 * block's dtype, one IEEE operation at a time in the kernel's order (fma where it fuses). Each element
 * is independent, so the vector lanes, the padded tails and the ranges split over threads must all give
 * exactly these bits: on awkward lengths, on a block long enough to be split, on the calling thread and
 * on a three-thread backend. The scalar twin ({@code ScalarKernelF32/F64}, what runs without the Vector API)
 * must give the same bits too. Surefire repeats this class at forced 256- and 128-bit widths.
 */
class UpdateBitsTest {
    static final int[] SIZES = {1, 3, 17, 255, 1025, 4099, (int) Kernels.PARALLEL_MIN * 2 + 1031};

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyStageMatchesItsScalarFormula(DType dtype) {
        try (Backend three = Backends.cpu(3)) {
            for (Team team : new Team[] {Team.CALLER, Team.of(three)}) {
                for (Kind kind : Kind.values()) {
                    for (boolean flag : new boolean[] {false, true}) {
                        for (int n : SIZES) {
                            check(dtype, team, kind, flag, n, true);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void theScalarTwinGivesTheSameBits(DType dtype) {
        for (Kind kind : Kind.values()) {
            for (boolean flag : new boolean[] {false, true}) {
                for (int n : SIZES) {
                    check(dtype, Team.CALLER, kind, flag, n, false);
                }
            }
        }
    }

    private static void check(DType dtype, Team team, Kind kind, boolean flag, int n, boolean vectors) {
        SplittableRandom r = new SplittableRandom(31L * n + kind.ordinal() * 2 + (flag ? 1 : 0));
        boolean f32 = dtype == DType.F32;
        double[] c = new double[7];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextDouble(0.05, 1.5);
        }
        double lr = r.nextDouble(1e-3, 0.5);
        int buffers = switch (kind) {
            case SCALE, ADD_DECAYED_WEIGHTS -> 0;
            case MOMENTUM, SUM_OF_SQUARES, DIVIDE -> 1;
            case RMS -> 2;
            case ADAM -> 3;
        };
        try (Scope scope = Scope.open()) {
            double[] p = random(r, n, f32, -2, 2), g = random(r, n, f32, -1.5, 1.5);
            double[][] b = new double[buffers][];
            MemorySegment[] segs = new MemorySegment[buffers];
            for (int j = 0; j < buffers; j++) {
                // State that a real run could hold: v, s ≥ 0 and s ≥ a² for RMS; κ ≥ 0 with some zeros for DIVIDE.
                b[j] = random(r, n, f32, kind == Kind.RMS && j == 1 ? -0.3 : 0, 1);
                if (kind == Kind.DIVIDE) {
                    for (int i = 0; i < n; i += 7) {
                        b[j][i] = 0;
                    }
                }
                Tensor t = scope.zeros(dtype, n);
                fill(t, b[j]);
                segs[j] = t.segment().asSlice(t.offset() * dtype.byteSize());
            }
            Tensor pt = scope.zeros(dtype, n + 3).slice(0, 3, n + 3), gt = scope.zeros(dtype, n);
            fill(pt, p);
            fill(gt, g);
            Stage[] stages = {new Stage(kind, c, segs, flag)};
            if (vectors) {
                Kernels.update(team, dtype, stages, lr, pt.segment(), pt.offset(), gt.segment(), gt.offset(), n);
            } else {
                Kernels.updateRange(false, dtype, stages, lr, pt.segment(), pt.offset(), gt.segment(), gt.offset(), 0, n);
            }
            Scalar s = new Scalar(f32);
            for (int i = 0; i < n; i++) {
                double[] st = new double[buffers];
                for (int j = 0; j < buffers; j++) {
                    st[j] = b[j][i];
                }
                double u = s.stage(kind, flag, c, st, g[i], p[i]);
                double want = s.fma(u, s.r(-lr), p[i]);
                String what = (vectors ? "" : "scalar twin ") + dtype + " " + kind + (flag ? " flag" : "") + " n=" + n + " i=" + i;
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(pt.getFlat(i)), what);
                for (int j = 0; j < buffers; j++) {
                    Tensor t = Tensor.wrap(segs[j], dtype, n);
                    assertEquals(Double.doubleToRawLongBits(st[j]), Double.doubleToRawLongBits(t.getFlat(i)), what + " buf " + j);
                }
            }
        }
    }

    /** The formulas of {@link Kind} on one element, rounding to the dtype after every operation. */
    private record Scalar(boolean f32) {
        double r(double x) {
            return f32 ? (float) x : x;
        }

        double fma(double a, double b, double c) {
            return f32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
        }

        double sqrt(double x) {
            return r(Math.sqrt(x));
        }

        /** The stage's new u from u = g; rewrites the state values b in place. */
        double stage(Kind kind, boolean flag, double[] c, double[] b, double u, double p) {
            return switch (kind) {
                case SCALE -> r(u * r(c[0]));
                case ADD_DECAYED_WEIGHTS -> fma(p, r(c[0]), u);
                case MOMENTUM -> {
                    b[0] = fma(u, r(c[1]), r(b[0] * r(c[0])));
                    yield fma(b[0], r(c[3]), r(u * r(c[2])));
                }
                case ADAM -> {
                    b[0] = fma(u, r(c[1]), r(b[0] * r(c[0])));
                    b[1] = fma(r(u * u), r(c[3]), r(b[1] * r(c[2])));
                    double w = b[1];
                    if (flag) {
                        b[2] = Math.max(b[2], b[1]);
                        w = b[2];
                    }
                    yield r(r(b[0] * r(c[4])) / fma(sqrt(w), r(c[5]), r(c[6])));
                }
                case RMS -> {
                    b[0] = fma(r(u * u), r(c[1]), r(b[0] * r(c[0])));
                    double s = b[0];
                    if (flag) {
                        b[1] = fma(u, r(c[1]), r(b[1] * r(c[0])));
                        s = Math.max(r(s - r(b[1] * b[1])), 0);
                    }
                    yield r(u / fma(sqrt(s), r(c[3]), r(c[2]))); // c3·√s + ε in one rounding (c3 = 1: torch's)
                }
                case SUM_OF_SQUARES -> {
                    b[0] = fma(u, u, b[0]);
                    yield r(u / r(sqrt(b[0]) + r(c[0])));
                }
                case DIVIDE -> b[0] > 0 ? r(u / b[0]) : 0;
            };
        }
    }

    private static double[] random(SplittableRandom r, int n, boolean f32, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f32 ? (float) r.nextDouble(lo, hi) : r.nextDouble(lo, hi);
        }
        return v;
    }

    private static void fill(Tensor t, double[] v) {
        for (int i = 0; i < v.length; i++) {
            t.setFlat(i, v[i]);
        }
    }
}
