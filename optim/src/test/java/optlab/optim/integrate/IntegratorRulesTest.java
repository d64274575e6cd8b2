package optlab.optim.integrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.OptionalInt;
import optlab.optim.GradientOracle;
import optlab.optim.OptimConfigs;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.Optimizers;
import optlab.optim.SGD;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;

/** Identities, hand-computed steps, the oracle aliasing trap, specs and validation, and allocation per step. */
class IntegratorRulesTest {

    static long[] bits(Tensor t) {
        long[] b = new long[Math.toIntExact(t.numel())];
        for (int i = 0; i < b.length; i++) {
            b[i] = Double.doubleToRawLongBits(t.getFlat(i));
        }
        return b;
    }

    /** euler (and ab2/ab3, whose first step is Euler) run torch's SGD pass: equal bit for bit, options included. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void eulerIsSgdBitForBit(DType dtype) {
        SGD[] sgds = {new SGD(0.1), new SGD(0.05, 0.9, 0, 0, false, false), new SGD(0.05, 0.9, 0.3, 0.1, false, false),
            new SGD(0.05, 0.8, 0, 0.01, true, false)};
        int n = 67;
        for (SGD sgd : sgds) {
            SgdTerms terms = new SgdTerms(sgd.momentum(), sgd.dampening(), sgd.weightDecay(), sgd.nesterov());
            RungeKutta euler = new RungeKutta("euler", ButcherTableau.euler(), sgd.lr(), terms);
            assertFalse(euler.needsOracle());
            try (Scope scope = Scope.open()) {
                Tensor p1 = OptimConfigs.of(scope, dtype, OptimConfigs.uniform(1, n, -1, 1)), p2 = scope.copyOf(p1);
                Tensor p3 = scope.copyOf(p1), g = scope.zeros(dtype, n);
                AdamsBashforth ab3 = new AdamsBashforth(3, sgd.lr(), terms);
                try (OptimizerState s1 = sgd.init(p1); OptimizerState s2 = euler.init(p2);
                        OptimizerState s3 = ab3.init(p3)) {
                    for (int t = 0; t < 5; t++) {
                        OptimConfigs.fill(g, OptimConfigs.uniform(10 + t, n, -1, 1));
                        sgd.step(s1, p1, g);
                        euler.step(s2, p2, g);
                        if (t == 0) {
                            ab3.step(s3, p3, g);
                            assertArrayEquals(bits(p1), bits(p3), sgd.spec() + " ab3's first step");
                        }
                        assertArrayEquals(bits(p1), bits(p2), sgd.spec() + " step " + (t + 1));
                    }
                    assertEquals(5, FlowIntegrator.gradientEvaluations(s2));
                }
            }
        }
    }

    /**
     * The model-bound oracle of the loop: it accepts only the loop's own parameter block, computes into the loop's
     * gradient block (overwriting the step's gradient), then copies to out. The step must still be true Heun.
     */
    static GradientOracle modelBound(Flow.Field f, Tensor paramsBlock, Tensor gradsBlock) {
        GradientOracle plain = Flow.oracle(f);
        return (params, out) -> {
            if (params != paramsBlock) {
                throw new IllegalArgumentException("a model-bound oracle evaluates at the model's own parameter block");
            }
            plain.gradient(params, gradsBlock);
            if (out != gradsBlock) {
                out.copyFrom(gradsBlock);
            }
        };
    }

    /** One step of a rule on the 4-d quadratic with weight decay λ folded into the field by hand. */
    static double[] oneStep(Optimizer opt, double[] w0, double h, boolean aliasing) {
        Flow.Quadratic q = new Flow.Quadratic();
        try (Scope scope = Scope.open()) {
            Tensor p = scope.of(DType.F64, w0, 4), g = scope.zeros(DType.F64, 4);
            GradientOracle oracle = aliasing ? modelBound(q, p, g) : Flow.oracle(q);
            try (OptimizerState s = opt.init(p)) {
                Flow.oracle(q).gradient(p, g);
                opt.step(s, p, g, h, oracle);
                return p.toDoubleArray();
            }
        }
    }

    @Test
    void heunIsTheHandFormulaEvenWhenTheOracleOverwritesGrads() {
        Flow.Quadratic q = new Flow.Quadratic();
        double[] w0 = {1.5, 0.5, -1, 2};
        double h = 0.1, lambda = 0.07;
        // f(w) = A(w − c) + λw; Heun: w1 = w0 − h/2 (f(w0) + f(w0 − h f(w0))).
        Flow.Field f = (w, out) -> {
            q.eval(w, out);
            for (int i = 0; i < 4; i++) {
                out[i] += lambda * w[i];
            }
        };
        double[] f0 = new double[4], y = new double[4], f1 = new double[4], want = new double[4];
        f.eval(w0, f0);
        for (int i = 0; i < 4; i++) {
            y[i] = w0[i] - h * f0[i];
        }
        f.eval(y, f1);
        for (int i = 0; i < 4; i++) {
            want[i] = w0[i] - h / 2 * (f0[i] + f1[i]);
        }
        RungeKutta heun = new RungeKutta("heun", ButcherTableau.heun(), h, new SgdTerms(0, 0, lambda, false));
        for (boolean aliasing : new boolean[] {false, true}) {
            double[] got = oneStep(heun, w0, h, aliasing);
            for (int i = 0; i < 4; i++) {
                assertEquals(want[i], got[i], 1e-15, "aliasing " + aliasing + " w[" + i + "]");
            }
        }
        // The same trap for rk4 (chain path), Kutta's rk3 (all-stages path) and rk23: aliasing changes nothing.
        for (Optimizer opt : List.of(RungeKutta.named("rk4", h), Optimizers.parse("rk:a=[[0.5],[-1,2]],b=[0.2,0.6,0.2]"),
                new Rk23(0.5, 1e-6, 1e-6, 0.01))) {
            assertArrayEquals(oneStep(opt, w0, h, false), oneStep(opt, w0, h, true), opt.spec());
        }
        // rk4 with one step is the reference solver's one step.
        double[] ref = Flow.rk4(q, w0, h, 1), got = oneStep(RungeKutta.named("rk4", h), w0, h, true);
        for (int i = 0; i < 4; i++) {
            assertEquals(ref[i], got[i], 1e-15, "rk4 w[" + i + "]");
        }
    }

    @Test
    void oracleRulesRefuseThePlainStep() {
        for (String spec : List.of("heun", "midpoint", "ralston", "rk4", "rk:a=[[1]],b=[0.5,0.5]", "rk23")) {
            Optimizer opt = Optimizers.parse(spec);
            assertTrue(opt.needsOracle(), spec);
            try (Scope scope = Scope.open()) {
                Tensor p = scope.zeros(DType.F64, 3);
                try (OptimizerState s = opt.init(p)) {
                    var e = assertThrows(UnsupportedOperationException.class, () -> opt.step(s, p, scope.zeros(DType.F64, 3)));
                    assertTrue(e.getMessage().startsWith(opt.name() + " needs a gradient oracle (torch's closure)"),
                            e.getMessage());
                    assertEquals(0, s.step(), "nothing counted");
                }
            }
        }
        assertFalse(Optimizers.parse("ab3").needsOracle());
    }

    @Test
    void gradientEvaluationsAreCounted() {
        record Want(String spec, OptionalInt perStep) {
        }
        for (Want w : List.of(new Want("euler", OptionalInt.of(1)), new Want("heun", OptionalInt.of(2)),
                new Want("rk4", OptionalInt.of(4)), new Want("ab2", OptionalInt.of(1)), new Want("ab3", OptionalInt.of(1)),
                new Want("rk:a=[[0.5],[-1,2]],b=[0.2,0.6,0.2]", OptionalInt.of(3)), new Want("rk23", OptionalInt.empty()))) {
            FlowIntegrator opt = (FlowIntegrator) Optimizers.parse(w.spec() + (w.spec().contains(":") ? "," : ":") + "lr=0.1");
            assertEquals(w.perStep(), opt.gradientsPerStep(), w.spec());
            Flow.Quadratic q = new Flow.Quadratic();
            try (Scope scope = Scope.open()) {
                Tensor p = scope.of(DType.F64, new double[] {1, 2, 3, 4}, 4), g = scope.zeros(DType.F64, 4);
                GradientOracle oracle = Flow.oracle(q);
                try (OptimizerState s = opt.init(p)) {
                    for (int t = 0; t < 3; t++) {
                        oracle.gradient(p, g);
                        opt.step(s, p, g, opt.lr(), oracle);
                    }
                    long want = w.perStep().isPresent() ? 3L * w.perStep().getAsInt()
                            : 3 + 3 * (Rk23.accepted(s) + Rk23.rejected(s));
                    assertEquals(want, FlowIntegrator.gradientEvaluations(s), w.spec());
                }
            }
        }
    }

    static final List<String> SPECS = OptimConfigs.INTEGRATORS;

    @ParameterizedTest(name = "{0}")
    @FieldSource("SPECS")
    void specRoundTrips(String spec) {
        Optimizer o = Optimizers.parse(spec);
        assertEquals(o, Optimizers.parse(o.spec()), o.spec());
        assertTrue(o.spec().startsWith(o.name() + ":"), o.spec());
        assertTrue(Optimizers.NAMES.contains(o.name()));
    }

    @Test
    void specGrammar() {
        // The form, with a first row [0], is the midpoint rule; rows 2..s alone say the same.
        RungeKutta mid = (RungeKutta) Optimizers.parse("rk:lr=0.1,a=[[0],[0.5]],b=[0,1]");
        assertEquals(ButcherTableau.midpoint(), mid.tableau());
        assertEquals(mid, Optimizers.parse("rk:lr=0.1,a=[[0.5]],b=[0,1]"));
        assertEquals("rk:lr=0.1,a=[[0.5]],b=[0.0,1.0],momentum=0.0,dampening=0.0,weight_decay=0.0,nesterov=false",
                mid.spec());
        assertEquals(ButcherTableau.euler(), ((RungeKutta) Optimizers.parse("rk:a=[],b=[1]")).tableau());
        assertEquals(new RungeKutta("heun", ButcherTableau.heun(), 1e-3, SgdTerms.NONE), Optimizers.parse("heun"));
        assertEquals(new Rk23(0.1, 1e-5, 1e-5, 0), Optimizers.parse("rk23:lr=0.1,tol=1e-5"));
        assertEquals(new Rk23(1e-3, 1e-3, 1e-6, 0), Optimizers.parse("rk23"));
        assertEquals(new AdamsBashforth(3, 0.2, new SgdTerms(0.9, 0, 0, true)), Optimizers.parse(
                "ab3:lr=0.2,momentum=0.9,nesterov=true"));
    }

    @Test
    void badTableausAndHyperparametersAreRejected() {
        String[][] bad = {
            {"rk:a=[[0.5]],b=[0.5,0.6]", "inconsistent tableau: the weights b sum to 1.1"},
            {"rk:a=[[0.5],[1]],b=[0.2,0.3,0.5]", "row 3 of an explicit tableau's a must hold 2 entries"},
            {"rk:a=[[0.5],[0.2,0.3],[1,1,1]],b=[1,0]", "rk: 2 weights need 1 rows of a"},
            {"rk:b=[1]", "rk: needs its tableau"},
            {"rk:a=0.5,b=[1]", "rk: a must be a list of rows"},
            {"rk:a=[[x]],b=[0,1]", "rk: a must be a number, got 'x'"},
            {"heun:lr=-1", "Invalid learning rate: -1.0"},
            {"rk4:momentum=-0.1", "Invalid momentum value: -0.1"},
            {"ab2:nesterov=true", "Nesterov momentum requires a momentum and zero dampening"},
            {"ab3:weight_decay=-1", "Invalid weight_decay value: -1.0"},
            {"rk23:rtol=0", "Invalid tolerances"},
            {"rk23:tol=1e-3,atol=1e-6", "rk23: tol sets both rtol and atol"},
            {"rk23:momentum=0.9", "rk23: unknown key 'momentum'"},
            {"heun:a=[[1]]", "heun: unknown key 'a'"},
        };
        for (String[] c : bad) {
            var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + ": " + e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ButcherTableau(new double[][] {{}, {0.5}}, new double[] {0, 1}, new double[] {0, 0.4}));
        assertTrue(e.getMessage().startsWith("inconsistent tableau: c_2 = 0.4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ButcherTableau.of(new double[][] {{}, {Double.NaN}}, new double[] {0, 1}));
        assertTrue(e.getMessage().contains("must be finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RungeKutta("heun", ButcherTableau.rk4(), 0.1, SgdTerms.NONE));
        assertTrue(e.getMessage().startsWith("a Runge–Kutta rule is named rk"), e.getMessage());
    }

    /**
     * Scratch is made on the first step and reused: the names stay put, chain tableaus without weight decay keep
     * only w0 and the direction (stage gradients go into the gradient block), two-stage ones only the direction,
     * and the bytes the stepping thread allocates per step on a 2^20-parameter block are a few small arrays.
     */
    static final long LIMIT = 64 * 1024;

    @Test
    void noAllocationPerStep() {
        AllocatedBytes mx = AllocatedBytes.open();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx != null, "java.management is not in the test's module graph");
        int n = 1 << 20;
        for (String spec : List.of("rk4:lr=0.01", "heun:lr=0.01", "rk:lr=0.01,a=[[0.5],[-1,2]],b=[0.2,0.6,0.2]", "ab3:lr=0.01,momentum=0.9",
                "rk23:lr=0.01,weight_decay=0.01")) {
            Optimizer opt = Optimizers.parse(spec);
            try (Scope scope = Scope.open()) {
                Tensor p = scope.full(DType.F32, 1, n), g = scope.zeros(DType.F32, n);
                // ∇ of ½|w|² by a flat copy: no per-element Java work in the oracle.
                GradientOracle oracle = (x, out) -> out.segment().copyFrom(x.segment());
                try (OptimizerState s = opt.init(p)) {
                    oracle.gradient(p, g);
                    opt.step(s, p, g, opt.lr(), oracle);
                    List<String> scratch = s.scratchNames();
                    if (spec.startsWith("rk4")) {
                        assertEquals(List.of("direction", "w0"), scratch);
                    }
                    if (spec.startsWith("heun")) {
                        assertEquals(List.of("direction"), scratch); // the end point so far; no copy of w_t
                    }
                    long perStep = Long.MAX_VALUE;
                    // The least over rounds until it is small: until C2 compiles the vector loops, the interpreter
                    // boxes every vector (megabytes per step), which is the JIT's warm-up, not the rule's allocation.
                    // Rounds run for up to a minute, not a count: in the whole suite on two busy cores 40 rounds
                    // once ended before C2 had compiled rk4's stage kernel (107 MB "per step").
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    for (int round = 0; (round < 40 || System.nanoTime() < deadline) && perStep >= LIMIT; round++) {
                        long before = mx.get();
                        for (int t = 0; t < 5; t++) {
                            oracle.gradient(p, g);
                            opt.step(s, p, g, opt.lr(), oracle);
                        }
                        perStep = Math.min(perStep, (mx.get() - before) / 5);
                    }
                    assertEquals(scratch, s.scratchNames(), spec);
                    System.out.printf("%s: %d bytes allocated per step on %d parameters%n", spec, perStep, n);
                    assertTrue(perStep < LIMIT, spec + ": " + perStep + " bytes per step");
                }
            }
        }
    }

    /**
     * com.sun.management.ThreadMXBean#getThreadAllocatedBytes for this thread, through reflection: optlab.optim does
     * not read java.management, and core reflection needs no reads edge.
     */
    record AllocatedBytes(Object bean, Method method) {
        static AllocatedBytes open() {
            try {
                Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                        .invoke(null);
                Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes",
                        long.class);
                return new AllocatedBytes(bean, m);
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }

        long get() {
            try {
                return (long) method.invoke(bean, Thread.currentThread().threadId());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
