package optlab.experiments.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import optlab.experiments.run.LossKind;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.optim.GradientOracle;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.ParamSpace;
import optlab.optim.SGD;
import optlab.optim.schedule.Constant;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop's contracts: probes (even ones asking the oracle for gradients at other points and other batches every
 * step) leave a run's losses bitwise unchanged, on a dropout MLP and a BatchNorm ResNet; oracle rules get an oracle
 * bound to the step's batch and the loop counts their gradient evaluations.
 */
class TrainingLoopTest {
    private static final String[] SPECS = {"mlp:12-16-16-3,dropout=0.5", "resnet:blocks=1,width=4,in=3,classes=3"};
    private static final int STEPS = 6, BATCH = 5;

    /** A batch stream that is the same for every run: batch k is drawn from seed k. */
    private static BatchSource batches(boolean image) {
        int[] k = {0};
        return (BatchSource.Endless) (x, y) -> {
            SplittableRandom r = new SplittableRandom(100 + k[0]++);
            for (long i = 0; i < x.numel(); i++) {
                x.setFlat(i, r.nextDouble(-1, 1));
            }
            for (int i = 0; i < y.numel(); i++) {
                y.setFlat(i, r.nextInt(3));
            }
            return x.dim(0);
        };
    }

    /** Every hook, and gradients from both oracles at perturbed points, every step. */
    private static final class Meddler implements Probe {
        final Tensor otherX, otherY;
        final Scope scope;
        Tensor scratch, trial;
        int calls;

        Meddler(Scope scope, Tensor otherX, Tensor otherY) {
            this.scope = scope;
            this.otherX = otherX;
            this.otherY = otherY;
        }

        @Override
        public String name() {
            return "meddler";
        }

        @Override
        public void start(RunContext run) {
            int n = (int) run.model().numParameters();
            scratch = scope.empty(run.model().dtype(), n);
            trial = scope.empty(run.model().dtype(), n);
        }

        private void poke(StepView s, GradientOracle o) {
            trial.copyFrom(s.params());
            for (int i = 0; i < trial.numel(); i += 7) {
                trial.setFlat(i, trial.getFlat(i) + 0.05);
            }
            o.gradient(trial, scratch);
            o.gradient(s.params(), scratch);
            calls += 2;
        }

        @Override
        public void afterBackward(StepView s) {
            poke(s, s.oracle());
            poke(s, s.oracleFor(otherX, otherY));
        }

        @Override
        public void afterUpdate(StepView s) {
            poke(s, s.oracle());
        }
    }

    private static List<Double> losses(String spec, List<Probe> probes, Optimizer opt, long[] evals) throws IOException {
        boolean image = spec.startsWith("resnet");
        try (Backend cpu = Backends.cpu(1); BufferPool pool = new BufferPool(); Scope s = Scope.open();
             Model m = Model.build(Zoo.parse(spec), DType.F64, InitScheme.PYTORCH, 5);
             OptimizerState st = opt.init(ParamSpace.of(m.parameters()))) {
            Tensor x = image ? s.empty(DType.F64, BATCH, 3, 6, 6) : s.empty(DType.F64, BATCH, 12);
            Tensor y = s.empty(DType.F64, BATCH);
            Objective objective = Objective.of(m, LossKind.CROSS_ENTROPY, 3);
            TrainingLoop loop = new TrainingLoop(m, opt, st, objective, cpu, pool, new Constant(opt.lr()), probes);
            List<Double> out = new ArrayList<>();
            LoopResult r = loop.run(new RunContext(null, m, objective, opt, cpu, pool, STEPS, 0, null, null, 0, null),
                    batches(image), x, y, STEPS, k -> false, k -> Map.of(), (e, c) -> { }, row -> out.add(row.loss()));
            evals[0] = r.gradientEvaluations();
            assertEquals(STEPS, r.stepsDone());
            assertFalse(r.diverged());
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void probesDoNotChangeTheLossesBitForBit(int which) throws IOException {
        String spec = SPECS[which];
        long[] evals = new long[1];
        List<Double> plain = losses(spec, List.of(), new SGD(0.1, 0.9), evals);
        try (Scope s = Scope.open()) {
            boolean image = spec.startsWith("resnet");
            Tensor ox = image ? s.uniform(DType.F64, new SplittableRandom(1), -1, 1, 3, 3, 6, 6)
                    : s.uniform(DType.F64, new SplittableRandom(1), -1, 1, 3, 12);
            Tensor oy = s.zeros(DType.F64, 3);
            Meddler meddler = new Meddler(s, ox, oy);
            GradNorms norms = new GradNorms(1);
            List<Double> probed = losses(spec, List.of(meddler, norms, new Timing(), new Divergence(1e9, 1)),
                    new SGD(0.1, 0.9), evals);
            assertEquals(plain, probed, "same losses, bit for bit");
            assertEquals(STEPS * 6, meddler.calls);
            assertEquals(STEPS, norms.rows().size());
        }
    }

    /** A closure rule for the test: extragradient, w ← w − lr·∇L(w − lr·∇L(w)) on the step's batch. */
    record Extragradient(double lr) implements Optimizer {
        public String name() {
            return "extragradient";
        }

        public String spec() {
            return "extragradient:lr=" + lr;
        }

        public OptimizerState init(ParamSpace space) {
            return OptimizerState.of(space.values(), List.of());
        }

        public void step(OptimizerState st, Tensor p, Tensor g, double lr) {
            throw new IllegalStateException("extragradient needs a gradient oracle");
        }

        @Override
        public boolean needsOracle() {
            return true;
        }

        @Override
        public void step(OptimizerState st, Tensor p, Tensor g, double lr, GradientOracle oracle) {
            Tensor w0 = st.scratch("w0"), g2 = st.scratch("g2");
            w0.copyFrom(p);
            for (long i = 0; i < p.numel(); i++) {
                p.setFlat(i, w0.getFlat(i) - lr * g.getFlat(i));
            }
            oracle.gradient(p, g2);
            for (long i = 0; i < p.numel(); i++) {
                p.setFlat(i, w0.getFlat(i) - lr * g2.getFlat(i));
            }
            st.advance();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void oracleRulesGetTheStepsBatchAndTheirEvaluationsAreCounted(int which) throws IOException {
        long[] evals = new long[1];
        List<Double> a = losses(SPECS[which], List.of(), new Extragradient(0.05), evals);
        assertEquals(2L * STEPS, evals[0], "two gradients per step");
        List<Double> b = losses(SPECS[which], List.of(), new Extragradient(0.05), evals);
        assertEquals(a, b, "reproducible bit for bit");
        List<Double> sgd = losses(SPECS[which], List.of(), new SGD(0.05), evals);
        assertEquals(sgd.get(0), a.get(0), "same first loss");
        assertTrue(!sgd.equals(a), "a different rule, a different path");
        assertThrows(IllegalStateException.class, () -> new Extragradient(0.1).step(null, null, null, 0.1));
    }
}
