package optlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import optlab.models.init.InitScheme;
import optlab.models.zoo.Zoo;
import optlab.optim.OptimizerState;
import optlab.optim.SGD;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.Test;

/** A few SGD steps on a tiny MLP reduce the loss; the loop reaches a steady state with no new buffers. */
class TrainingTest {

    @Test
    void sgdOnATinyMlpReducesTheLossWithoutNewBuffersPerStep() {
        try (Backend cpu = Backends.cpu(2); BufferPool pool = new BufferPool(); Scope data = Scope.open();
                Model m = Model.build(Zoo.parse("mlp:8-16-16-3,act=tanh"), DType.F32, InitScheme.PYTORCH, 17)) {
            // A learnable task: the class is the argmax of three fixed linear functions of x.
            SplittableRandom rng = new SplittableRandom(4);
            Tensor x = data.uniform(DType.F32, rng, -1, 1, 64, 8);
            Tensor y = data.empty(DType.F32, 64);
            for (int i = 0; i < 64; i++) {
                double a = x.get(i, 0) + x.get(i, 1), b = x.get(i, 2) - x.get(i, 3), c = x.get(i, 4) * 0.5;
                y.set(a > b && a > c ? 0 : b > c ? 1 : 2, i);
            }
            SGD sgd = new SGD(0.5, 0.9);
            double first = 0, last = 0;
            long bytesAfterFirst = 0;
            try (OptimizerState st = sgd.init(m.parameters())) {
                for (int step = 0; step < 40; step++) {
                    m.zeroGrad();
                    try (Graph g = Graph.open(cpu, pool)) {
                        Variable loss = g.crossEntropy(m.forward(g, Variable.constant(x)), y);
                        g.backward(loss);
                        last = loss.value().item();
                    }
                    sgd.step(st, m.parameters(), m.gradients());
                    if (step == 0) {
                        first = last;
                        bytesAfterFirst = pool.allocatedBytes();
                    }
                }
            }
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
            assertEquals(bytesAfterFirst, pool.allocatedBytes(), "the step loop allocated new buffers");
            assertEquals(40, m.step());
        }
    }
}
