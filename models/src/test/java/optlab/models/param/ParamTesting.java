package optlab.models.param;

import java.util.SplittableRandom;
import optlab.models.Model;
import optlab.optim.OptimizerState;
import optlab.optim.SGD;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;

/** Helpers for the parameterization tests: inputs, one-hot targets, forwards and one SGD step under MSE. */
final class ParamTesting {
    private ParamTesting() {
    }

    /** Inputs with unit variance: U(−√3, √3). */
    static Tensor inputs(Scope s, DType dtype, long seed, int... shape) {
        return s.uniform(dtype, new SplittableRandom(seed), -Math.sqrt(3), Math.sqrt(3), shape);
    }

    /** One-hot rows [batch, classes] with classes i mod classes. */
    static Tensor oneHot(Scope s, DType dtype, int batch, int classes) {
        Tensor t = s.zeros(dtype, batch, classes);
        for (int i = 0; i < batch; i++) {
            t.set(1, i, (i * 7) % classes);
        }
        return t;
    }

    /** model.forward(x) on a no-grad graph, copied out. */
    static double[] output(Backend b, Model m, Tensor x) {
        try (Scope s = Scope.open(); Graph g = Graph.noGrad(b, s)) {
            return m.forward(g, Variable.constant(x)).value().toDoubleArray();
        }
    }

    /** One plain-SGD step on mean squared error to {@code target}; returns the loss before the step. */
    static double sgdStep(Backend b, Model m, Tensor x, Tensor target, double lr) {
        m.zeroGrad();
        double loss;
        try (Scope s = Scope.open(); Graph g = Graph.open(b, s)) {
            Variable l = g.mse(m.forward(g, Variable.constant(x)), Variable.constant(target));
            g.backward(l);
            loss = l.value().item();
        }
        SGD sgd = new SGD(lr);
        try (OptimizerState st = sgd.init(m.parameters())) {
            sgd.step(st, m.parameters(), m.gradients());
        }
        return loss;
    }

    static double rms(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d * d;
        }
        return Math.sqrt(s / v.length);
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }
}
