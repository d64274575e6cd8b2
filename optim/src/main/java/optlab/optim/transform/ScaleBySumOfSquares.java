package optlab.optim.transform;

import java.util.List;

/**
 * AdaGrad's preconditioner (Duchi et al.; torch.optim.Adagrad): s ← s + u², u ← u / (√s + ε), with s
 * starting at {@code initialAccumulatorValue}.
 */
public record ScaleBySumOfSquares(double eps, double initialAccumulatorValue) implements Transform {
    @Override
    public List<StateBuffer> buffers() {
        return List.of(new StateBuffer("sum", initialAccumulatorValue));
    }
}
