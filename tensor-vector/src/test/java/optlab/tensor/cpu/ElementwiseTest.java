package optlab.tensor.cpu;

import static optlab.tensor.TestTensors.assertClose;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import optlab.tensor.simd.Simd;

/**
 * The vectorized elementwise kernels against the reference backend: every op, both dtypes, sizes
 * around every vector width and the staging block, every {@link Layout} for inputs and out,
 * broadcasting, and one and two threads. Inputs are O(1), so errors are measured as
 * |fast − ref| ≤ rtol·(|ref| + 1): relative where the result is O(1) or larger, and against the
 * inputs' scale near an op's zero crossings (GELU′ at x ≈ −0.75), where relative error means nothing.
 * ElementwiseEdgeTest checks tails, special values, aliasing and errors.
 */
class ElementwiseTest {
    static final Backend REF = Backends.reference();
    /** Two threads; below the parallel threshold it runs the one-thread path, so small cases need no second backend. */
    static final Backend CPU = new CpuBackend(2);
    static final Backend[] CPUS = {new CpuBackend(1), CPU};
    static final DType[] DTYPES = DType.values();
    private static final Layout[] LAYOUTS = Layout.values();

    @AfterAll
    static void closeBackends() {
        for (Backend b : CPUS) {
            b.close();
        }
    }

    /** Rank 0, the empty tensor, lengths straddling every vector width and the 1024-element staging block, and matrices. */
    static List<int[]> shapes() {
        int l32 = Simd.F32.length(), l64 = Simd.F64.length();
        List<int[]> s = new ArrayList<>();
        s.add(new int[] {});
        for (int n : new int[] {0, 1, 3, 17, 33, 127, l32 - 1, l32 + 1, l64 - 1, l64 + 1, 1031}) {
            s.add(new int[] {n});
        }
        s.add(new int[] {3, 17});
        s.add(new int[] {17, 3});
        s.add(new int[] {2, l32 + 1});
        s.add(new int[] {4, 0});
        s.add(new int[] {2, 3, 33});
        return s;
    }

    /** (a, b, out) shapes that broadcast: [n,1]+[1,m], [m]+[n,m], scalar-shaped [1] and rank 0 on either side. */
    static List<int[][]> broadcasts() {
        int l32 = Simd.F32.length();
        List<int[][]> s = new ArrayList<>();
        for (int[] nm : new int[][] {{3, 17}, {5, 33}, {1, 127}, {7, 1}, {2, l32 + 1}}) {
            int n = nm[0], m = nm[1];
            s.add(new int[][] {{n, 1}, {1, m}, {n, m}});
            s.add(new int[][] {{m}, {n, m}, {n, m}});
            s.add(new int[][] {{n, m}, {m}, {n, m}});
            s.add(new int[][] {{n, m}, {1}, {n, m}});
            s.add(new int[][] {{1}, {n, m}, {n, m}});
            s.add(new int[][] {{}, {n, m}, {n, m}});
        }
        s.add(new int[][] {{2, 1, 33}, {5, 1}, {2, 5, 33}});
        s.add(new int[][] {{1}, {1031}, {1031}});
        return s;
    }

    static double rtol(DType dtype) {
        return TestTensors.rtol(dtype);
    }

    static Tensor values(Scope scope, DType dtype, long seed, double lo, double hi, int... shape) {
        return scope.uniform(dtype, new SplittableRandom(seed), lo, hi, shape);
    }

    /** Input range of each op's random test: its interesting region, with some invalid inputs (NaN results) for LOG and SQRT. */
    private static double[] domain(UnaryOp op) {
        return switch (op) {
            case LOG, SQRT -> new double[] {-0.5, 4};
            case GELU, GELU_TANH, SIGMOID, TANH, EXP -> new double[] {-6, 6};
            default -> new double[] {-4, 4};
        };
    }

    private static double[][] domain(BinaryOp op) {
        return switch (op) {
            case POW -> new double[][] {{0, 3}, {-3, 3}};
            case TANH_BACKWARD -> new double[][] {{-1, 1}, {-2, 2}};
            case SIGMOID_BACKWARD -> new double[][] {{0, 1}, {-2, 2}};
            default -> new double[][] {{-4, 4}, {-4, 4}};
        };
    }

    // ---------------------------------------------------------------- unary

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesReference(UnaryOp op) {
        double[] d = domain(op);
        for (DType dtype : DTYPES) {
            try (Scope scope = Scope.open()) {
                List<int[][]> cases = new ArrayList<>();
                for (int[] s : shapes()) {
                    cases.add(new int[][] {s, s});
                }
                cases.add(new int[][] {{1, 33}, {5, 33}});
                cases.add(new int[][] {{5, 1}, {5, 33}});
                cases.add(new int[][] {{1}, {1031}});
                long seed = 1;
                for (int[][] c : cases) {
                    Tensor x = values(scope, dtype, seed++, d[0], d[1], c[0]);
                    Tensor expected = scope.empty(dtype, c[1]);
                    REF.unary(op, x, expected);
                    for (int r = 0; r < LAYOUTS.length; r++) {
                        Tensor xv = LAYOUTS[r].of(scope, x);
                        Tensor out = LAYOUTS[(r + 1) % LAYOUTS.length].of(scope, scope.full(dtype, Double.NaN, c[1]));
                        CPU.unary(op, xv, out);
                        assertClose(expected, out, rtol(dtype), rtol(dtype));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- binary and scalar

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesReference(BinaryOp op) {
        double[][] d = domain(op);
        for (DType dtype : DTYPES) {
            try (Scope scope = Scope.open()) {
                List<int[][]> cases = new ArrayList<>(broadcasts());
                for (int[] s : shapes()) {
                    cases.add(new int[][] {s, s, s});
                }
                long seed = 100;
                for (int[][] c : cases) {
                    Tensor a = values(scope, dtype, seed++, d[0][0], d[0][1], c[0]);
                    Tensor b = values(scope, dtype, seed++, d[1][0], d[1][1], c[1]);
                    Tensor expected = scope.empty(dtype, c[2]);
                    REF.binary(op, a, b, expected);
                    for (int r = 0; r < LAYOUTS.length; r++) {
                        Tensor av = LAYOUTS[r].of(scope, a), bv = LAYOUTS[(r + 1) % LAYOUTS.length].of(scope, b);
                        Tensor out = LAYOUTS[(r + 2) % LAYOUTS.length].of(scope, scope.full(dtype, Double.NaN, c[2]));
                        CPU.binary(op, av, bv, out);
                        assertClose(expected, out, rtol(dtype), rtol(dtype));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void scalarMatchesReference(BinaryOp op) {
        double[][] d = domain(op);
        for (DType dtype : DTYPES) {
            try (Scope scope = Scope.open()) {
                long seed = 200;
                for (int[] shape : shapes()) {
                    Tensor a = values(scope, dtype, seed++, d[0][0], d[0][1], shape);
                    for (int r = 0; r < LAYOUTS.length; r++) {
                        double s = r % 2 == 0 ? -0.7 : 0.1; // 0.1 is not exact in F32: both round it
                        Tensor expected = scope.empty(dtype, shape);
                        REF.scalar(op, a, s, expected);
                        Tensor av = LAYOUTS[r].of(scope, a);
                        Tensor out = LAYOUTS[(r + 1) % LAYOUTS.length].of(scope, scope.full(dtype, Double.NaN, shape));
                        CPU.scalar(op, av, s, out);
                        assertClose(expected, out, rtol(dtype), rtol(dtype));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- clamp, where, copy, fill

    @Test
    void clampMatchesReference() {
        for (DType dtype : DTYPES) {
            try (Scope scope = Scope.open()) {
                long seed = 300;
                for (int[] shape : shapes()) {
                    Tensor x = values(scope, dtype, seed++, -3, 3, shape);
                    if (x.numel() > 0) {
                        x.setFlat(0, Double.NaN); // NaN passes through clamp, as in torch.clamp
                    }
                    for (double[] lohi : new double[][] {{-1, 1.5}, {0, 0}, {-0.1, 10}, {2, 1}}) {
                        Tensor expected = scope.empty(dtype, shape);
                        REF.clamp(x, lohi[0], lohi[1], expected);
                        for (Layout layout : LAYOUTS) {
                            Tensor xv = layout.of(scope, x);
                            Tensor out = layout.of(scope, scope.full(dtype, Double.NaN, shape));
                            CPU.clamp(xv, lohi[0], lohi[1], out);
                            assertClose(expected, out, 0, 0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void whereMatchesReference() {
        for (DType dtype : DTYPES) {
            try (Scope scope = Scope.open()) {
                List<int[][]> cases = new ArrayList<>();
                for (int[] s : shapes()) {
                    cases.add(new int[][] {s, s, s, s});
                }
                cases.add(new int[][] {{5, 1}, {1, 33}, {33}, {5, 33}});
                cases.add(new int[][] {{1}, {17, 3}, {17, 1}, {17, 3}});
                cases.add(new int[][] {{1031}, {1}, {1031}, {1031}});
                long seed = 400;
                for (int[][] c : cases) {
                    Tensor mask = values(scope, dtype, seed++, -1, 1, c[0]);
                    long n = mask.numel();
                    for (long i = 0; i < n; i++) { // zeros, ones and a NaN (which counts as true)
                        double m = mask.getFlat(i);
                        mask.setFlat(i, i % 7 == 3 ? Double.NaN : m < 0 ? 0 : m < 0.5 ? 1 : m);
                    }
                    Tensor a = values(scope, dtype, seed++, -2, 2, c[1]), b = values(scope, dtype, seed++, -2, 2, c[2]);
                    Tensor expected = scope.empty(dtype, c[3]);
                    REF.where(mask, a, b, expected);
                    for (int r = 0; r < LAYOUTS.length; r++) {
                        Tensor mv = LAYOUTS[r].of(scope, mask), av = LAYOUTS[(r + 1) % 4].of(scope, a);
                        Tensor bv = LAYOUTS[(r + 2) % 4].of(scope, b);
                        Tensor out = LAYOUTS[(r + 3) % 4].of(scope, scope.full(dtype, Double.NaN, c[3]));
                        CPU.where(mv, av, bv, out);
                        assertClose(expected, out, 0, 0);
                    }
                }
            }
        }
    }

    @Test
    void copyMatchesReferenceAcrossLayoutsAndDtypes() {
        for (DType from : DTYPES) {
            for (DType to : DTYPES) {
                try (Scope scope = Scope.open()) {
                    List<int[][]> cases = new ArrayList<>();
                    for (int[] s : shapes()) {
                        cases.add(new int[][] {s, s});
                    }
                    cases.add(new int[][] {{1, 33}, {5, 33}});
                    cases.add(new int[][] {{1}, {2, 17}});
                    long seed = 500;
                    for (int[][] c : cases) {
                        Tensor src = values(scope, from, seed++, -1e3, 1e3, c[0]); // F64 → F32 rounds
                        Tensor expected = scope.empty(to, c[1]);
                        REF.copy(src, expected);
                        for (int r = 0; r < LAYOUTS.length; r++) {
                            Tensor sv = LAYOUTS[r].of(scope, src);
                            Tensor dst = LAYOUTS[(r + 1) % 4].of(scope, scope.full(to, Double.NaN, c[1]));
                            CPU.copy(sv, dst);
                            assertClose(expected, dst, 0, 0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void fillWritesEveryElementOfAnyLayout() {
        for (DType dtype : DTYPES) {
            try (Scope scope = Scope.open()) {
                for (int[] shape : shapes()) {
                    Tensor expected = scope.empty(dtype, shape);
                    REF.fill(expected, 0.1);
                    for (Layout layout : LAYOUTS) {
                        Tensor dst = layout.of(scope, scope.full(dtype, Double.NaN, shape));
                        CPU.fill(dst, 0.1);
                        assertClose(expected, dst, 0, 0);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- large: threads split the work

    /**
     * Above the parallel threshold, on one and two threads: a large prime length (chunks end
     * mid-vector) with a broadcast scalar-shaped operand, and a transposed matrix (many strided rows,
     * gathered). Few calls: the first big call of a kernel runs before the JIT has compiled it.
     */
    @Test
    void largeTensorsSplitAcrossThreads() {
        int large = 1_000_003;
        try (Scope scope = Scope.open()) {
            Tensor a = values(scope, DType.F32, 600, -4, 4, large), s = values(scope, DType.F32, 601, -4, 4, 1);
            Tensor sum = scope.empty(DType.F32, large);
            REF.binary(BinaryOp.ADD, a, s, sum);
            Tensor m = values(scope, DType.F64, 603, -4, 4, 211, 331).mT(); // rows of stride 331
            Tensor sq = scope.empty(DType.F64, 331, 211);
            REF.unary(UnaryOp.SQUARE, m, sq);
            for (Backend cpu : CPUS) {
                Tensor out = scope.empty(DType.F32, large);
                cpu.binary(BinaryOp.ADD, a, s, out);
                assertClose(sum, out, 0, 0);
                Tensor outSq = scope.empty(DType.F64, 331, 211);
                cpu.unary(UnaryOp.SQUARE, m, outSq);
                assertClose(sq, outSq, 0, 0);
            }
        }
    }
}
