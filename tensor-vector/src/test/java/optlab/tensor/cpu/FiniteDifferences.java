package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import optlab.tensor.Tensor;

/** Central finite differences in F64: the independent oracle for the reference kernels' gradients. */
final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /**
     * Checks {@code analytic} = ∂loss/∂param element by element: (loss(p + h) − loss(p − h)) / 2h,
     * perturbing {@code param} in place and restoring it.
     */
    static void check(String what, Tensor param, Tensor analytic, DoubleSupplier loss, double h, double tol) {
        for (long i = 0, n = param.numel(); i < n; i++) {
            double p = param.getFlat(i);
            param.setFlat(i, p + h);
            double up = loss.getAsDouble();
            param.setFlat(i, p - h);
            double down = loss.getAsDouble();
            param.setFlat(i, p);
            double fd = (up - down) / (2 * h);
            double a = analytic.getFlat(i);
            assertEquals(fd, a, tol * (1 + Math.abs(fd)), what + " element " + i);
        }
    }

    /** Σ a ⊙ b over all elements: a random linear functional of an op's output, so its gradient is b. */
    static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (long i = 0, n = a.numel(); i < n; i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }
}
