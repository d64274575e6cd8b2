package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import optlab.optim.integrate.AdamsBashforth;
import optlab.optim.integrate.Rk23;
import optlab.optim.integrate.RungeKutta;
import optlab.optim.schedule.CosineAnnealing;
import optlab.optim.schedule.Schedule;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every optimizer configuration joins: it converges on a quadratic and on 2-D
 * Rosenbrock, keeps its state layout fixed, and its state saves and reloads bit for bit so a resumed
 * run continues identically. Rules that {@link Optimizer#needsOracle need an oracle} get one computing the same
 * gradient as the loop (for the layout and reload contracts, a fixed quadratic's). Learning rates come from a cosine schedule through the lr override of
 * step() (constant-lr adaptive rules otherwise hover at a distance ~lr from the minimum).
 */
class OptimizerContractTest {

    /** A spec with the peak lr and steps that bring it to the Rosenbrock minimum from (−1.2, 1). */
    record Contract(String spec, double rosenLr, int rosenSteps) {
        Optimizer optimizer() {
            return Optimizers.parse(spec);
        }

        boolean maximize() {
            return spec.contains("maximize=true");
        }

        @Override
        public String toString() {
            return spec;
        }
    }

    static final List<Contract> CONTRACTS = contracts();

    static List<Contract> contracts() {
        List<Contract> out = new ArrayList<>();
        for (String spec : java.util.stream.Stream.concat(OptimConfigs.ALL.stream(), OptimConfigs.INTEGRATORS.stream())
                .toList()) {
            String rule = spec.substring(0, spec.indexOf(':'));
            boolean momentum = spec.contains("momentum=");
            if (spec.contains("lr_decay=")) {
                out.add(new Contract(spec, 1.0, 20000)); // lr/(1 + decay·t) on top of the schedule: start higher
                continue;
            }
            if (spec.contains("amsgrad=true")) {
                out.add(new Contract(spec, 0.1, 10000)); // the kept maximum of v slows the walk along the valley
                continue;
            }
            out.add(switch (rule) {
                case "sgd" -> new Contract(spec, momentum ? 4e-4 : 1.5e-3, 20000);
                case "adagrad" -> new Contract(spec, 1.0, 10000);
                case "rmsprop", "rmsprop-kurbiel" -> new Contract(spec, 3e-3, 8000);
                // Explicit integrators are stable for h·λ_max below ~2 (Euler, Heun), 2.8 (rk4), 1 (ab2), 0.55 (ab3);
                // λ_max ≈ 1500 on the way from (−1.2, 1), and the flow needs t ≈ 15 to reach (1, 1).
                case "euler", "heun", "midpoint", "ralston", "rk4", "rk" -> new Contract(spec, momentum ? 4e-4 : 1.3e-3, 20000);
                case "ab2" -> new Contract(spec, 6e-4, 40000);
                case "ab3" -> new Contract(spec, 3e-4, 60000);
                case "rk23" -> new Contract(spec, 0.01, 20000);
                default -> new Contract(spec, 0.02, 6000);
            });
        }
        return out;
    }

    static List<Arguments> contractsWithDtypes() {
        List<Arguments> out = new ArrayList<>();
        for (Contract c : CONTRACTS) {
            for (DType d : DType.values()) {
                out.add(Arguments.of(c, d));
            }
        }
        return out;
    }

    /** Minimizes f with g = ∇f (or −∇f for maximize, so ascent on −f), lr from the schedule. */
    static double[] minimize(Contract c, DType dtype, double[] x0, BiConsumer<double[], double[]> gradient,
            Schedule lr, int steps) {
        Optimizer opt = c.optimizer();
        int n = x0.length;
        double[] x = x0.clone();
        GradientOracle oracle = oracle(gradient, c.maximize());
        try (Scope scope = Scope.open(); OptimizerState s = opt.init(OptimConfigs.of(scope, dtype, x0))) {
            Tensor p = OptimConfigs.of(scope, dtype, x0), g = scope.zeros(dtype, n);
            for (int t = 0; t < steps; t++) {
                oracle.gradient(p, g);
                opt.step(s, p, g, lr.lr(t), oracle);
            }
            for (int i = 0; i < n; i++) {
                x[i] = p.getFlat(i);
            }
        }
        return x;
    }

    /** The gradient (negated for maximize, so ascent on −f) as an oracle, in double, rounded to the dtype. */
    static GradientOracle oracle(BiConsumer<double[], double[]> gradient, boolean maximize) {
        return (p, out) -> {
            double[] x = p.toDoubleArray(), gv = new double[x.length];
            gradient.accept(x, gv);
            for (int i = 0; i < gv.length; i++) {
                out.setFlat(i, maximize ? -gv[i] : gv[i]);
            }
        };
    }

    /** For the layout and reload contracts: ∇ of ½|x − 0.3|², whatever gradient the step was given. */
    static final GradientOracle FIXED = oracle((x, g) -> {
        for (int i = 0; i < x.length; i++) {
            g[i] = x[i] - 0.3;
        }
    }, false);

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("contractsWithDtypes")
    void convergesOnQuadratic(Contract c, DType dtype) {
        // f(x) = ½ Σ aᵢ (xᵢ − cᵢ)², curvatures aᵢ in [0.5, 2], 37 parameters.
        int n = 37;
        double[] a = OptimConfigs.uniform(1, n, 0.5, 2), center = OptimConfigs.uniform(2, n, -1, 1);
        double[] x0 = OptimConfigs.uniform(3, n, -3, 3);
        int steps = 1500;
        double lr = c.optimizer().lr() * (c.spec().startsWith("rmsprop") ? 3 : 1);
        double[] x = minimize(c, dtype, x0, (xs, g) -> {
            for (int i = 0; i < n; i++) {
                g[i] = a[i] * (xs[i] - center[i]);
            }
        }, new CosineAnnealing(lr, steps, 0), steps);
        // Coupled L2 decay moves the minimum of f + (λ/2)|x|² to aᵢcᵢ/(aᵢ + λ); AdamW's decoupled decay
        // has no such objective, it ends within about λ·|x*| of the unregularized minimum.
        double l2 = l2(c.optimizer()), slack = decoupled(c.optimizer());
        for (int i = 0; i < n; i++) {
            double want = a[i] * center[i] / (a[i] + l2);
            assertEquals(want, x[i], 1e-3 + slack * Math.abs(want), c + " " + dtype + " x[" + i + "]");
        }
    }

    /** λ of weight decay folded into the gradient (SGD, Adagrad, RMSprop, Adam, RmsPropKurbiel). */
    static double l2(Optimizer o) {
        return switch (o) {
            case SGD s -> s.weightDecay();
            case Adagrad s -> s.weightDecay();
            case RMSprop s -> s.weightDecay();
            case Adam s -> s.weightDecay();
            case RungeKutta s -> s.terms().weightDecay();
            case AdamsBashforth s -> s.terms().weightDecay();
            case Rk23 s -> s.weightDecay();
            case RmsPropKurbiel s -> s.weightDecay();
            default -> 0;
        };
    }

    /** λ of AdamW's decoupled decay. */
    static double decoupled(Optimizer o) {
        return o instanceof AdamW w ? w.weightDecay() : 0;
    }

    /** argmin of Rosenbrock + (λ/2)|x|² by Newton's method from (1, 1), the λ = 0 minimum. */
    static double[] rosenbrockMinimum(double l2) {
        double x = 1, y = 1;
        for (int k = 0; k < 50; k++) {
            double gx = -2 * (1 - x) - 400 * x * (y - x * x) + l2 * x, gy = 200 * (y - x * x) + l2 * y;
            double hxx = 2 - 400 * (y - x * x) + 800 * x * x + l2, hxy = -400 * x, hyy = 200 + l2;
            double det = hxx * hyy - hxy * hxy;
            x -= (hyy * gx - hxy * gy) / det;
            y -= (hxx * gy - hxy * gx) / det;
        }
        return new double[] {x, y};
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("contractsWithDtypes")
    void convergesOnRosenbrock(Contract c, DType dtype) {
        // f(x, y) = (1 − x)² + 100 (y − x²)², minimum at (1, 1); classic start (−1.2, 1).
        double[] x = minimize(c, dtype, new double[] {-1.2, 1}, (p, g) -> {
            g[0] = -2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] * p[0]);
            g[1] = 200 * (p[1] - p[0] * p[0]);
        }, new CosineAnnealing(c.rosenLr(), c.rosenSteps(), 0), c.rosenSteps());
        double[] want = rosenbrockMinimum(l2(c.optimizer()));
        double slack = 2 * decoupled(c.optimizer());
        assertEquals(want[0], x[0], 0.02 + slack, c + " " + dtype + " x");
        assertEquals(want[1], x[1], 0.04 + slack, c + " " + dtype + " y");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("contractsWithDtypes")
    void stateLayoutIsStable(Contract c, DType dtype) {
        Optimizer opt = c.optimizer();
        int n = 19;
        try (Scope scope = Scope.open()) {
            Tensor p = OptimConfigs.of(scope, dtype, OptimConfigs.uniform(5, n, -1, 1));
            Tensor g = OptimConfigs.of(scope, dtype, OptimConfigs.uniform(6, n, -1, 1));
            try (OptimizerState s = opt.init(p)) {
                // A chain's layout is its transforms' buffers; any rule's is what init made, kept over steps.
                List<String> expected = opt instanceof ChainOptimizer co
                        ? co.chain().buffers().stream().map(b -> b.name()).toList() : s.names();
                List<String> scalars = s.scalarNames(), scratch = null;
                for (int t = 0; t <= 3; t++) {
                    assertEquals(t, s.step());
                    assertEquals(expected, s.names(), c + " buffers after " + t + " steps");
                    assertEquals(scalars, s.scalarNames(), c + " scalars after " + t + " steps");
                    for (String name : s.names()) {
                        assertArrayEquals(new int[] {n}, s.buffer(name).shape(), name);
                        assertEquals(dtype, s.buffer(name).dtype(), name);
                    }
                    opt.step(s, p, g, opt.lr(), FIXED);
                    // Scratch is made on the first step and only reused after.
                    if (scratch == null) {
                        scratch = s.scratchNames();
                    }
                    assertEquals(scratch, s.scratchNames(), c + " scratch after " + (t + 1) + " steps");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("contractsWithDtypes")
    void saveAndReloadContinueBitForBit(Contract c, DType dtype) throws IOException {
        Optimizer opt = c.optimizer();
        int n = 41;
        try (Scope scope = Scope.open()) {
            Tensor p = OptimConfigs.of(scope, dtype, OptimConfigs.uniform(7, n, -1, 1));
            Tensor g = scope.zeros(dtype, n);
            try (OptimizerState s = opt.init(p)) {
                for (int t = 0; t < 3; t++) {
                    OptimConfigs.fill(g, OptimConfigs.uniform(100 + t, n, -1, 1));
                    opt.step(s, p, g, opt.lr(), FIXED);
                }
                byte[] saved = save(s);
                Tensor p2 = scope.copyOf(p);
                try (OptimizerState s2 = OptimizerState.load(new ByteArrayInputStream(saved))) {
                    assertArrayEquals(saved, save(s2), "save(load(save(s))) == save(s)");
                    for (int t = 3; t < 6; t++) {
                        // Refilled for each: a rule that calls its oracle may write over g (GradientOracle).
                        OptimConfigs.fill(g, OptimConfigs.uniform(100 + t, n, -1, 1));
                        opt.step(s, p, g, opt.lr(), FIXED);
                        OptimConfigs.fill(g, OptimConfigs.uniform(100 + t, n, -1, 1));
                        opt.step(s2, p2, g, opt.lr(), FIXED);
                    }
                    assertArrayEquals(bits(p), bits(p2), c + " params after resuming");
                    assertArrayEquals(save(s), save(s2), c + " state after resuming");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optlab.optim.DTypes#all")
    void adamWWithZeroDecayIsAdam(DType dtype) {
        Adam adam = new Adam(0.05, 0.8, 0.99, 1e-7, 0, true, false);
        AdamW adamW = new AdamW(0.05, 0.8, 0.99, 1e-7, 0, true, false);
        assertEquals(adam.chain().transforms(), adamW.chain().transforms());
        int n = 53;
        try (Scope scope = Scope.open()) {
            Tensor p1 = OptimConfigs.of(scope, dtype, OptimConfigs.uniform(8, n, -1, 1)), p2 = scope.copyOf(p1);
            Tensor g = scope.zeros(dtype, n);
            try (OptimizerState s1 = adam.init(p1); OptimizerState s2 = adamW.init(p2)) {
                for (int t = 0; t < 5; t++) {
                    OptimConfigs.fill(g, OptimConfigs.uniform(200 + t, n, -1, 1));
                    adam.step(s1, p1, g);
                    adamW.step(s2, p2, g);
                    assertArrayEquals(bits(p1), bits(p2), "step " + (t + 1));
                }
            }
        }
    }

    static byte[] save(OptimizerState s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.save(out);
        return out.toByteArray();
    }

    /** Raw bit patterns, so equality means bit for bit (NaN payloads and −0 included). */
    static long[] bits(Tensor t) {
        long[] b = new long[Math.toIntExact(t.numel())];
        for (int i = 0; i < b.length; i++) {
            b[i] = Double.doubleToRawLongBits(t.getFlat(i));
        }
        return b;
    }
}
