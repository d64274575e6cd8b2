package optlab.experiments.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.experiments.run.LossKind;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.optim.geometry.HessianTop;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelHessianTest {

    /** The model's gradient of the batch loss at its current parameters (a fresh copy). */
    private static double[] gradient(Model m, Backend backend, optlab.models.BatchLoss loss) {
        m.zeroGrad();
        try (BufferPool pool = new BufferPool(); Graph g = Graph.open(backend, pool)) {
            g.backward(loss.loss(g));
        }
        return m.gradients().toDoubleArray();
    }

    /** Explicit Hessian by central differences along each coordinate (step 1e-5, F64), symmetrized; its top |λ|. */
    private static double explicitTop(Model m, Backend backend, optlab.models.BatchLoss loss) {
        Tensor p = m.parameters();
        int n = Math.toIntExact(p.numel());
        double[][] h = new double[n][];
        double s = 1e-5;
        for (int i = 0; i < n; i++) {
            double v = p.getFlat(i);
            p.setFlat(i, v + s);
            double[] gp = gradient(m, backend, loss);
            p.setFlat(i, v - s);
            double[] gm = gradient(m, backend, loss);
            p.setFlat(i, v);
            h[i] = new double[n];
            for (int j = 0; j < n; j++) {
                h[i][j] = (gp[j] - gm[j]) / (2 * s);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double a = (h[i][j] + h[j][i]) / 2;
                h[i][j] = a;
                h[j][i] = a;
            }
        }
        double best = 0;
        for (double e : new EigenDecomposition(new Array2DRowRealMatrix(h)).getRealEigenvalues()) {
            best = Math.abs(e) > Math.abs(best) ? e : best;
        }
        return best;
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void mlpMatchesTheExplicitHessianAndLeavesTheModelAsItWas(LossKind kind) {
        try (Backend backend = Backends.cpu(1); Scope scope = Scope.open();
             Model m = Zoo.build("mlp:5-7-3,act=tanh", DType.F64, InitScheme.PYTORCH, 3)) {
            Tensor x = scope.randn(DType.F64, new SplittableRandom(1), 8, 5);
            Tensor y = scope.of(DType.F64, new double[] {0, 1, 2, 1, 0, 2, 2, 1}, 8);
            optlab.models.BatchLoss loss = ModelHessian.classification(m, x, y, kind, 3);
            m.gradients().setFlat(0, 0.125); // the caller's gradients must survive
            double[] params = m.parameters().toDoubleArray();
            double[] grads = m.gradients().toDoubleArray();
            long step = m.step();

            HessianTop.Result r = ModelHessian.top(m, backend, loss, 500, 1e-11, 5);

            assertArrayEquals(params, m.parameters().toDoubleArray(), 0.0, "parameters restored");
            assertArrayEquals(grads, m.gradients().toDoubleArray(), 0.0, "gradients restored");
            assertEquals(step, m.step(), "step counter restored");
            double expected = explicitTop(m, backend, loss);
            assertTrue(r.converged(), r.toString());
            assertEquals(expected, r.eigenvalue(), 1e-6 * Math.abs(expected), kind + ": explicit " + expected + " vs " + r);
        }
    }

    /** With dropout in training mode, masks repeat for every gradient: power iteration still converges. */
    @ParameterizedTest
    @EnumSource(value = DType.class)
    void trainingModeWithDropoutIsAFixedFunction(DType dtype) {
        try (Backend backend = Backends.cpu(1); Scope scope = Scope.open();
             Model m = Zoo.build("mlp:6-16-4,act=tanh,dropout=0.3", dtype, InitScheme.PYTORCH, 8)) {
            m.train();
            Tensor x = scope.randn(dtype, new SplittableRandom(2), 16, 6);
            Tensor y = scope.of(dtype, new double[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}, 16);
            optlab.models.BatchLoss loss = ModelHessian.classification(m, x, y, LossKind.CROSS_ENTROPY, 4);
            double tol = dtype == DType.F64 ? 1e-9 : 1e-5;
            HessianTop.Result a = ModelHessian.top(m, backend, loss, 1000, tol, 1);
            HessianTop.Result b = ModelHessian.top(m, backend, loss, 1000, tol, 2);
            assertTrue(a.converged() && b.converged(), a + " / " + b);
            assertTrue(a.eigenvalue() > 0, "cross-entropy near init: positive curvature dominates, " + a);
            // Two start directions, the same eigenvalue: F64 to 1e-6, F32 (float gradients, ε^(2/3)) to 1e-3.
            assertEquals(a.eigenvalue(), b.eigenvalue(), (dtype == DType.F64 ? 1e-6 : 1e-3) * a.eigenvalue());
        }
    }
}
