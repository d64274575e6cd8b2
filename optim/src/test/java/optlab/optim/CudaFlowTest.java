package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gradient-flow integrators and gradient clipping on the CUDA backend (tensor-vector's gcc-built stand-in, which
 * runs kernels.cu) against the CPU from the same start, with an oracle that evaluates the same field on each backend
 * in the same correctly rounded operations. Every combination and stage pass on the device is made of the host's IEEE
 * operations (fma for each accumulation, each coefficient rounded to the dtype first), so the fixed-step rules give
 * the CPU's bits; rk23's error norm and the clipping norm sum their squares in another order (to the dtype's
 * precision), and the tests say how far that may move them.
 */
class CudaFlowTest extends StandInBackends {
    /** Odd and prime: no whole tile, no whole vector, and long enough for the host kernels to split over cores. */
    static final int N = 70_001;



    /**
     * ∇L(w) = a ⊙ w + c ⊙ w ⊙ w (a nonlinear field, so trial points matter), evaluated with {@code b}'s ops on
     * tensors in its memory: products and a sum, each correctly rounded on both backends, so both give the same bits.
     */
    record Field(Backend b, Tensor a, Tensor c, Tensor tmp) implements GradientOracle {
        static Field on(Backend b, Scope s, Tensor a, Tensor c) {
            return new Field(b, b.place(a, s), b.place(c, s), b.empty(s, a.dtype(), a.shape()));
        }

        @Override
        public void gradient(Tensor w, Tensor out) {
            b.binary(BinaryOp.MUL, w, w, tmp);
            b.binary(BinaryOp.MUL, tmp, c, tmp);
            b.binary(BinaryOp.MUL, a, w, out);
            b.binary(BinaryOp.ADD, out, tmp, out);
        }
    }

    static List<Object[]> fixedStepRules() {
        List<String> specs = List.of("euler:lr=0.05,momentum=0.9,weight_decay=0.01", "heun:lr=0.05", "midpoint:lr=0.05",
                "ralston:lr=0.05,weight_decay=0.01", "rk4:lr=0.05", "rk4:lr=0.05,momentum=0.9,nesterov=true",
                "rk4:lr=0.05,weight_decay=0.01,momentum=0.5,dampening=0.1",
                "rk:lr=0.05,a=[[0.5],[-1,2]],b=[0.2,0.6,0.2]", "rk:lr=0.05,a=[[0.5],[-1,2]],b=[0.2,0.6,0.2],weight_decay=0.01",
                "ab2:lr=0.05", "ab3:lr=0.05", "ab3:lr=0.05,momentum=0.9,weight_decay=0.01");
        List<Object[]> out = new ArrayList<>();
        for (DType d : DType.values()) {
            for (String s : specs) {
                out.add(new Object[] {d, s});
            }
        }
        return out;
    }

    /**
     * Steps {@code opt} {@code steps} times on {@code b} from the shared start, like the training loop: grads = ∇L(w)
     * through the oracle, then a step with it; the lr changes at step 3 (a schedule: Adams–Bashforth's variable-step
     * weights).
     */
    static List<double[]> run(Backend b, Optimizer opt, Tensor w0, Tensor a, Tensor c, int steps, List<double[]> scalars,
            ByteArrayOutputStream saved) throws IOException {
        try (Scope s = Scope.open(); Scope host = Scope.open()) {
            Tensor p = b.place(host.copyOf(w0), s), g = b.empty(s, w0.dtype(), w0.shape());
            Field f = Field.on(b, s, a, c);
            List<double[]> out = new ArrayList<>();
            try (OptimizerState st = opt.init(p).runOn(b)) {
                for (int t = 0; t < steps; t++) {
                    f.gradient(p, g);
                    opt.step(st, p, g, t < 3 ? opt.lr() : opt.lr() * 0.7, f);
                    out.add(b.toHost(p, host).toDoubleArray());
                    double[] sc = new double[st.scalarNames().size()];
                    for (int i = 0; i < sc.length; i++) {
                        sc[i] = st.scalar(st.scalarNames().get(i));
                    }
                    scalars.add(sc);
                }
                if (b.deviceMemory()) {
                    for (String name : st.names()) {
                        assertTrue(st.buffer(name).onDevice(), name + " lives on the device");
                    }
                    for (String name : st.scratchNames()) {
                        assertTrue(st.scratch(name).onDevice(), "scratch " + name + " lives on the device");
                    }
                }
                st.save(saved);
            }
            return out;
        }
    }

    /** A start and a field with stiff and soft directions: a ∈ [0.5, 4.5), c ∈ [−0.5, 0.5), w ~ N(0, 1). */
    static Tensor[] problem(Scope host, DType dtype) {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor w = host.randn(dtype, rng, N), a = host.empty(dtype, N), c = host.empty(dtype, N);
        for (int i = 0; i < N; i++) {
            a.setFlat(i, 0.5 + 4 * rng.nextDouble());
            c.setFlat(i, rng.nextDouble() - 0.5);
        }
        return new Tensor[] {w, a, c};
    }

    @ParameterizedTest
    @MethodSource("fixedStepRules")
    void fixedStepRulesStepOnTheDeviceAsOnTheCpuBitForBit(DType dtype, String spec) throws IOException {
        Optimizer opt = Optimizers.parse(spec);
        try (Scope host = Scope.open()) {
            Tensor[] pr = problem(host, dtype);
            ByteArrayOutputStream savedCpu = new ByteArrayOutputStream(), savedDev = new ByteArrayOutputStream();
            List<double[]> scCpu = new ArrayList<>(), scDev = new ArrayList<>();
            List<double[]> onCpu = run(cpu, opt, pr[0], pr[1], pr[2], 5, scCpu, savedCpu);
            List<double[]> onDev = run(cuda, opt, pr[0], pr[1], pr[2], 5, scDev, savedDev);
            for (int t = 0; t < onCpu.size(); t++) {
                double[] x = onCpu.get(t), y = onDev.get(t);
                for (int i = 0; i < N; i++) {
                    if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                        throw new AssertionError(spec + " " + dtype + " step " + (t + 1) + ": w[" + i + "] " + x[i]
                                + " on the CPU, " + y[i] + " on the device");
                    }
                }
                assertArrayEquals(scCpu.get(t), scDev.get(t), spec + " scalars at step " + (t + 1));
            }
            assertNotEquals(pr[0].getFlat(0), onCpu.getLast()[0], "the parameters move");
            assertArrayEquals(savedCpu.toByteArray(), savedDev.toByteArray(), spec + ": the saved state");
        }
    }

    /**
     * rk23 on the device against the CPU. Its error norm is a sum of N squares taken in another order (see
     * DeviceFlowKernels; the host's lanes add up to 64 squares each in the dtype), so ‖e‖ may differ by some 33 units
     * of the dtype's rounding u per step, the next trial step h·0.9‖e‖^(−1/3) by a third of that, and h carries the
     * earlier steps' differences: the test allows 64u per step taken (seen: at most 74u after six steps in F32, 133u
     * in F64; the CPU alone moves h by ~70u between vector widths). Every other operation is the host's. The
     * accept/reject decisions must be the same, and the parameters may differ by what such a change of h moves them,
     * |Δw| ≤ Σ_steps |Δh|·|d| with h ≤ 0.2 and |d| &lt; 10 here: 1e3·u·(1 + |w|) over six steps.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void rk23StepsOnTheDeviceAsOnTheCpuToTheDtypesRounding(DType dtype) throws IOException {
        for (String spec : List.of("rk23:lr=0.2", "rk23:lr=0.2,weight_decay=0.01,rtol=1e-4,atol=1e-7")) {
            Optimizer opt = Optimizers.parse(spec);
            try (Scope host = Scope.open()) {
                Tensor[] pr = problem(host, dtype);
                List<double[]> scCpu = new ArrayList<>(), scDev = new ArrayList<>();
                List<double[]> onCpu = run(cpu, opt, pr[0], pr[1], pr[2], 6, scCpu, new ByteArrayOutputStream());
                List<double[]> onDev = run(cuda, opt, pr[0], pr[1], pr[2], 6, scDev, new ByteArrayOutputStream());
                double u = dtype == DType.F32 ? 0x1p-24 : 0x1p-53;
                int h = 1, accepted = 3, rejected = 4; // grad_evals, h, h_accepted, accepted, rejected
                assertTrue(scCpu.getLast()[rejected] > 0, spec + ": the test should see rejected tries");
                double worst = 0;
                for (int t = 0; t < onCpu.size(); t++) {
                    double[] a = scCpu.get(t), b = scDev.get(t);
                    assertEquals(a[0], b[0], spec + " gradient evaluations at step " + (t + 1));
                    assertEquals(a[accepted], b[accepted], spec + " accepted tries at step " + (t + 1));
                    assertEquals(a[rejected], b[rejected], spec + " rejected tries at step " + (t + 1));
                    worst = Math.max(worst, Math.abs(a[h] - b[h]) / (u * a[h]));
                    assertEquals(a[h], b[h], 64 * (t + 1) * u * a[h], spec + " next trial step at step " + (t + 1));
                    double[] x = onCpu.get(t), y = onDev.get(t);
                    for (int i = 0; i < N; i++) {
                        assertEquals(x[i], y[i], 1e3 * u * (1 + Math.abs(x[i])), spec + " " + dtype + " step " + (t + 1)
                                + " w[" + i + "]");
                    }
                }
                System.out.printf("%s %s: h after 6 steps %s (cpu) %s (device), at most %.0fu apart; %d accepted,"
                        + " %d rejected%n", spec, dtype, scCpu.getLast()[h], scDev.getLast()[h], worst,
                        (long) scCpu.getLast()[accepted], (long) scCpu.getLast()[rejected]);
            }
        }
    }

    /**
     * Clipping on the device against the CPU: clip_grad_value bit for bit (the same clamp), totalNorm to the sums'
     * rounding. The host adds the squares by fma into vector lanes of the dtype, each lane at most 128 of a 2 KiB tile
     * (four lanes or more), then in double: relative error at most about 128u on the sum; the device rounds each
     * square (u) and the double sum once to the dtype (u). So the norms differ by at most about 65u relative; the test
     * allows 130u. clip_grad_norm then scales by max_norm / (norm + 1e-6): a coefficient that differs by as much, so
     * each gradient by that much plus one rounding of the product.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void clippingOnTheDeviceAsOnTheCpu(DType dtype) {
        double u = dtype == DType.F32 ? 0x1p-24 : 0x1p-53;
        try (Scope host = Scope.open(); Scope device = Scope.open()) {
            Tensor g = host.randn(dtype, new SplittableRandom(5), N), gDev = cuda.place(g, device);
            double norm = GradClip.totalNorm(g), normDev = GradClip.totalNorm(cuda, gDev);
            assertEquals(norm, normDev, 130 * u * norm, "totalNorm");
            double exact = 0, lost = 0; // Neumaier's compensated sum: exact to about one rounding
            for (int i = 0; i < N; i++) {
                double v = g.getFlat(i) * g.getFlat(i), t = exact + v;
                lost += Math.abs(exact) >= Math.abs(v) ? (exact - t) + v : (v - t) + exact;
                exact = t;
            }
            exact += lost;
            // F32: squares summed in double and rounded once, so within two float roundings of the exact norm. F64:
            // the device sums in double in two levels (shares of about 256 squares, then the shares' partials, so a
            // summation tree N / 256 + 256 deep, DeviceReduce), in another order than this loop: Higham's bound for
            // that depth, halved by the square root; in float the sum would miss both by orders of magnitude.
            double rel = dtype == DType.F32 ? 2 * u : (N / 256.0 + 256 + 2) * u / 2 + u;
            assertEquals(Math.sqrt(exact), normDev, rel * Math.sqrt(exact), "the device's norm is within its summation's rounding");

            Tensor v = host.copyOf(g), vDev = cuda.place(g, device);
            GradClip.clipGradValue(v, 0.5);
            GradClip.clipGradValue(cuda, vDev, 0.5);
            assertArrayEquals(bits(v), bits(cuda.toHost(vDev, host)), "clip_grad_value");
            assertEquals(0.5, cuda.toHost(vDev, host).toDoubleArray()[argmax(g)], "clamped");

            Tensor n = host.copyOf(g), nDev = cuda.place(g, device);
            double before = GradClip.clipGradNorm(n, 10), beforeDev = GradClip.clipGradNorm(cuda, nDev, 10);
            assertEquals(before, beforeDev, 130 * u * before, "clip_grad_norm returns the norm before clipping");
            double[] x = n.toDoubleArray(), y = cuda.toHost(nDev, host).toDoubleArray();
            for (int i = 0; i < N; i++) {
                assertEquals(x[i], y[i], 132 * u * Math.abs(x[i]), "clip_grad_norm g[" + i + "]");
            }
            assertEquals(10, GradClip.totalNorm(cuda, nDev), 1e-3, "clipped to max_norm");
            Tensor small = host.copyOf(g), smallDev = cuda.place(g, device);
            GradClip.clipGradNorm(small, 1e9);
            GradClip.clipGradNorm(cuda, smallDev, 1e9);
            assertArrayEquals(bits(g), bits(cuda.toHost(smallDev, host)), "below max_norm nothing changes");
            assertEquals(0, GradClip.totalNorm(cuda, cuda.empty(device, dtype, 0)));
        }
    }

    @Test
    void deviceBlocksNeedTheBackendThatHoldsThem() {
        try (Scope device = Scope.open(); Scope host = Scope.open()) {
            Tensor p = cuda.empty(device, DType.F32, 10), g = cuda.empty(device, DType.F32, 10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(g, 1));
            assertTrue(e.getMessage().startsWith("gradient clipping (totalNorm) of a block in device memory needs the"
                    + " device backend that holds it"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(cpu, g, 1));
            assertTrue(e.getMessage().contains("clipGradValue") && e.getMessage().contains("got cpu"), e.getMessage());
            Optimizer heun = Optimizers.parse("heun:lr=0.1");
            try (OptimizerState s = heun.init(host.zeros(DType.F32, 10))) {
                e = assertThrows(IllegalArgumentException.class, () -> heun.step(s, p, g, 0.1, (at, out) -> { }));
                assertTrue(e.getMessage().startsWith("heun.step: params (device memory) and grads (device memory) must"
                        + " both lie where the state runs (the host; for a device block call state.runOn(backend))"),
                        e.getMessage());
            }
            try (OptimizerState s = heun.init(p).runOn(cuda)) {
                Tensor hostGrads = host.zeros(DType.F32, 10);
                e = assertThrows(IllegalArgumentException.class, () -> heun.step(s, p, hostGrads, 0.1, (at, out) -> { }));
                assertTrue(e.getMessage().contains("grads (host memory)") && e.getMessage().contains("(cuda)"),
                        e.getMessage());
            }
        }
    }

    private static int argmax(Tensor t) {
        int best = 0;
        for (int i = 1; i < t.numel(); i++) {
            if (t.getFlat(i) > t.getFlat(best)) {
                best = i;
            }
        }
        return best;
    }

    private static long[] bits(Tensor t) {
        long[] b = new long[Math.toIntExact(t.numel())];
        for (int i = 0; i < b.length; i++) {
            b[i] = Double.doubleToRawLongBits(t.getFlat(i));
        }
        return b;
    }
}
