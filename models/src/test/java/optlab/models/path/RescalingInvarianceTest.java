package optlab.models.path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import optlab.models.Model;
import optlab.models.init.InitScheme;
import optlab.models.init.NodeRescaling;
import optlab.models.layers.Activation;
import optlab.models.layers.AvgPool2d;
import optlab.models.layers.Conv2d;
import optlab.models.layers.Flatten;
import optlab.models.layers.Linear;
import optlab.models.layers.MaxPool2d;
import optlab.models.layers.Sequential;
import optlab.models.zoo.Mlp;
import optlab.optim.Optimizer;
import optlab.optim.OptimizerState;
import optlab.optim.PathSGD;
import optlab.optim.SGD;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The property Path-SGD is about: a network and a node-rescaled copy compute the same function, and
 * after k Path-SGD steps on the same batches they still do, while after k SGD steps they do not. On
 * an MLP and on a conv-ReLU-maxpool-conv-ReLU-avgpool-Linear net, in F64.
 */
class RescalingInvarianceTest {
    static final int STEPS = 8;
    static final int BATCH = 6;
    static Backend backend;
    static BufferPool pool;

    @BeforeAll
    static void open() {
        backend = Backends.cpu(1);
        pool = new BufferPool();
    }

    @AfterAll
    static void close() {
        backend.close();
        pool.close();
    }

    /** A net family: builds the same weights for the same seed, with its input shape. */
    record Net(String name, LongFunction<Model> build, int... input) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Net MLP = new Net("mlp 6-10-8-3",
            seed -> Model.build(Mlp.of(6, 10, 8, 3), DType.F64, InitScheme.PYTORCH, seed), 6);
    static final Net CNN = new Net("cnn", seed -> Model.build(new Sequential(new Conv2d(2, 3, 3, 1, 1, true),
            Activation.relu(), new MaxPool2d(2), new Conv2d(3, 4, 3, 1, 1, true), Activation.relu(), new AvgPool2d(2),
            new Flatten(), new Linear(16, 5), Activation.relu(), new Linear(5, 3)), DType.F64, InitScheme.PYTORCH, seed),
            2, 8, 8);

    @Test
    void nodeRescalingPreservesTheFunction() {
        for (Net net : List.of(MLP, CNN)) {
            try (Model a = net.build().apply(1); Model b = net.build().apply(1); Scope s = Scope.open()) {
                new NodeRescaling(0, 1.0).apply(b, 7);
                Tensor x = input(s, net, 99);
                assertClose(net + " rescaled outputs", outputs(a, x), outputs(b, x), 1e-12);
                double moved = maxRelativeChange(a.parameters().toDoubleArray(), b.parameters().toDoubleArray());
                assertTrue(moved > 0.5, net + ": weights changed by at most " + moved);
                // σ = 0 draws c = 1 everywhere: the weights stay as they are.
                try (Model c = net.build().apply(1)) {
                    new NodeRescaling(3, 0).apply(c, 7);
                    assertArrayEquals(a.parameters().toDoubleArray(), c.parameters().toDoubleArray(), 0);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new NodeRescaling(10, -1));
        assertThrows(IllegalArgumentException.class, () -> new NodeRescaling(10, Double.NaN));
    }

    @Test
    void mlpPathSgdIsRescalingInvariantAndSgdIsNot() {
        invariance(MLP, 0.02);
    }

    @Test
    void cnnPathSgdIsRescalingInvariantAndSgdIsNot() {
        invariance(CNN, 0.005);
    }

    private static void invariance(Net net, double pathLr) {
        try (Scope s = Scope.open()) {
            List<Tensor[]> batches = batches(s, net);
            Tensor probe = input(s, net, 12345);
            double[] start;
            try (Model a = net.build().apply(3)) {
                start = outputs(a, probe);
            }
            double[][] path = train(net, new PathSGD(pathLr), batches, probe);
            assertClose(net + " after " + STEPS + " Path-SGD steps", path[0], path[1], 1e-9);
            double learned = maxRelativeChange(start, path[0]);
            assertTrue(learned > 0.05, net + ": Path-SGD barely changed the function (" + learned + ")");
            double[][] sgd = train(net, new SGD(0.1), batches, probe);
            double gap = maxRelativeChange(sgd[0], sgd[1]);
            assertTrue(gap > 1e-2, net + ": SGD on the rescaled copy stayed within " + gap + " of the original");
        }
    }

    /** Trains a model and its node-rescaled copy on the same batches; returns both outputs on probe. */
    private static double[][] train(Net net, Optimizer opt, List<Tensor[]> batches, Tensor probe) {
        try (Model a = net.build().apply(3); Model b = net.build().apply(3)) {
            new NodeRescaling(0, 1.0).apply(b, 11);
            try (OptimizerState sa = init(opt, a, net); OptimizerState sb = init(opt, b, net)) {
                for (Tensor[] batch : batches) {
                    step(a, opt, sa, batch);
                    step(b, opt, sb, batch);
                }
            }
            return new double[][] {outputs(a, probe), outputs(b, probe)};
        }
    }

    private static OptimizerState init(Optimizer opt, Model m, Net net) {
        return opt instanceof PathSGD p ? p.init(m.parameters(), PathNetworks.of(m, net.input())) : opt.init(m.parameters());
    }

    private static void step(Model m, Optimizer opt, OptimizerState st, Tensor[] batch) {
        m.zeroGrad();
        try (Graph g = Graph.open(backend, pool)) {
            g.backward(g.crossEntropy(m.forward(g, Variable.constant(batch[0])), batch[1]));
        }
        opt.step(st, m.parameters(), m.gradients());
    }

    private static double[] outputs(Model m, Tensor x) {
        try (Scope s = Scope.open(); Graph g = Graph.noGrad(backend, s)) {
            return m.forward(g, Variable.constant(x)).value().toDoubleArray();
        }
    }

    private static List<Tensor[]> batches(Scope s, Net net) {
        List<Tensor[]> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int k = 0; k < STEPS; k++) {
            Tensor y = s.empty(DType.F64, BATCH);
            for (int i = 0; i < BATCH; i++) {
                y.setFlat(i, r.nextInt(3));
            }
            out.add(new Tensor[] {input(s, net, 100 + k), y});
        }
        return out;
    }

    private static Tensor input(Scope s, Net net, long seed) {
        int[] shape = new int[net.input().length + 1];
        shape[0] = BATCH;
        System.arraycopy(net.input(), 0, shape, 1, net.input().length);
        return s.uniform(DType.F64, new SplittableRandom(seed), -1, 1, shape);
    }

    private static double maxRelativeChange(double[] a, double[] b) {
        double scale = 0, diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / scale;
    }

    private static void assertClose(String what, double[] expected, double[] actual, double rtol) {
        assertEquals(expected.length, actual.length);
        double change = maxRelativeChange(expected, actual);
        assertTrue(change <= rtol, what + ": differ by " + change + " (relative to the largest output)");
    }
}
