package optlab.optim.internal;

import java.util.List;
import optlab.optim.OptimConfigs;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.Optimizers;
import optlab.optim.reference.RefRules;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import optlab.tensor.simd.Simd;

/**
 * Throughput of the fused update against the scalar reference, on a 4M-parameter block. Skipped in
 * normal builds; run with
 * {@code ./mvnw -q -B -o verify -pl optim -am -Dtest=UpdateBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Doptlab.bench=true}.
 * Each rule is validated against the reference before it is timed. Traffic counts bytes read and
 * written per step (parameters twice, gradients once, each state buffer twice).
 */
@EnabledIfSystemProperty(named = "optlab.bench", matches = "true")
class UpdateBenchmark {
    static final int N = 1 << 22;

    @Test
    void throughput() {
        System.out.printf("optim update benchmark: %s, %d cores, block of %d parameters%n", Simd.describe(),
                Runtime.getRuntime().availableProcessors(), N);
        for (DType dtype : DType.values()) {
            for (String spec : List.of("sgd:lr=0.01,momentum=0.9", "adagrad:lr=0.01", "rmsprop:lr=0.01,centered=true",
                    "adam:lr=0.001", "adamw:lr=0.001,amsgrad=true")) {
                Optimizer opt = Optimizers.parse(spec);
                try (Scope scope = Scope.open()) {
                    Tensor p = scope.empty(dtype, N), g = scope.empty(dtype, N);
                    double[] pRef = UpdateKernelTest.round(dtype, OptimConfigs.uniform(1, N, -1, 1));
                    double[] gv = UpdateKernelTest.round(dtype, OptimConfigs.uniform(2, N, -1, 1));
                    OptimConfigs.fill(p, pRef);
                    OptimConfigs.fill(g, gv);
                    try (OptimizerState s = opt.init(p)) {
                        RefRules ref = new RefRules();
                        opt.step(s, p, g);
                        ref.step(opt, opt.lr(), pRef, gv);
                        UpdateKernelTest.assertClose(spec + " " + dtype, pRef, p, dtype); // validate before timing
                        double refNs = Double.MAX_VALUE; // best of 3 warm reference steps
                        for (int rep = 0; rep < 4; rep++) {
                            long r0 = System.nanoTime();
                            ref.step(opt, opt.lr(), pRef, gv);
                            refNs = rep == 0 ? refNs : Math.min(refNs, (System.nanoTime() - r0) / (double) N);
                        }
                        for (int i = 0; i < 20; i++) {
                            opt.step(s, p, g);
                        }
                        int steps = 50;
                        long t0 = System.nanoTime();
                        for (int i = 0; i < steps; i++) {
                            opt.step(s, p, g);
                        }
                        double ns = (System.nanoTime() - t0) / (double) steps / N;
                        long bytes = (3L + 2L * s.names().size()) * dtype.byteSize();
                        System.out.printf("%-32s %s  fused %6.3f ns/param (%5.1f GB/s)   scalar reference (double) %6.3f ns/param%n",
                                spec, dtype, ns, bytes / ns, refNs);
                    }
                }
            }
        }
    }
}
