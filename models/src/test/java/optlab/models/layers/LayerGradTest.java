package optlab.models.layers;

import static optlab.models.TestModels.f64;
import static optlab.models.TestModels.gradCheck;
import static optlab.models.TestModels.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import optlab.models.Model;
import optlab.models.Module;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every layer's gradients (input and all parameters) against central finite differences in F64, on
 * small odd sizes, through the CPU and the reference backend; plus the output shape.
 */
class LayerGradTest {
    private static final Backend CPU = Backends.cpu(2);
    private static final Backend REFERENCE = Backends.reference();

    @AfterAll
    static void close() {
        CPU.close();
        REFERENCE.close();
    }

    /**
     * Builds {@code m} in F64, checks gradients on input of {@code shape} through the CPU backend and
     * the scalar reference backend, and returns the output shape.
     */
    private static int[] check(Module m, int... shape) {
        try (Model model = f64(m, 11); Scope s = Scope.open()) {
            Tensor x = rand(s, DType.F64, 5, shape);
            for (Backend b : new Backend[] {CPU, REFERENCE}) {
                var r = gradCheck(b, model, x);
                assertTrue(r.checked() > 0, r.toString());
            }
            try (var g = optlab.tensor.autodiff.Graph.noGrad(CPU, s)) {
                return model.root().forward(g, optlab.tensor.autodiff.Variable.constant(x)).shape();
            }
        }
    }

    @Test
    void linearOnBatchesAndSequences() {
        assertArrayEquals(new int[] {3, 5}, check(new Linear(7, 5), 3, 7));
        assertArrayEquals(new int[] {2, 3, 5}, check(new Linear(7, 5), 2, 3, 7));
        assertArrayEquals(new int[] {3, 5}, check(new Linear(7, 5, false), 3, 7));
    }

    @ParameterizedTest
    @CsvSource({"3, 1, 1, true", "3, 2, 1, false", "1, 1, 0, true", "5, 2, 2, true"})
    void conv2d(int k, int stride, int pad, boolean bias) {
        int[] out = check(new Conv2d(3, 4, k, stride, pad, bias), 2, 3, 7, 7);
        int o = (7 + 2 * pad - k) / stride + 1;
        assertArrayEquals(new int[] {2, 4, o, o}, out);
    }

    @Test
    void pooling() {
        assertArrayEquals(new int[] {2, 3, 3, 3}, check(new MaxPool2d(2), 2, 3, 7, 7));
        assertArrayEquals(new int[] {2, 3, 4, 4}, check(new MaxPool2d(3, 2, 1), 2, 3, 7, 7));
        assertArrayEquals(new int[] {2, 3, 3, 3}, check(new AvgPool2d(2), 2, 3, 7, 7));
        assertArrayEquals(new int[] {2, 3, 4, 4}, check(new AvgPool2d(3, 2, 1), 2, 3, 7, 7));
    }

    @Test
    void batchNormInTrainingMode() {
        assertArrayEquals(new int[] {5, 3}, check(new BatchNorm1d(3), 5, 3));
        assertArrayEquals(new int[] {4, 3, 6}, check(new BatchNorm1d(3), 4, 3, 6));
        assertArrayEquals(new int[] {2, 3, 5, 5}, check(new BatchNorm2d(3), 2, 3, 5, 5));
    }

    @Test
    void batchNormInEvalMode() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.train(false);
        check(bn, 2, 3, 5, 5);
    }

    @Test
    void layerNorm() {
        assertArrayEquals(new int[] {2, 3, 7}, check(new LayerNorm(7), 2, 3, 7));
        check(new LayerNorm(5, 1e-6), 4, 5);
    }

    @Test
    void activations() {
        check(Activation.relu(), 3, 17);
        check(Activation.gelu(), 3, 17);
        check(Activation.tanh(), 3, 17);
        check(Activation.sigmoid(), 3, 17);
    }

    @Test
    void dropoutWithFixedMask() {
        Dropout d = new Dropout(0.3);
        try (Model model = f64(new Sequential(new Linear(6, 9), d), 3); Scope s = Scope.open()) {
            Tensor x = rand(s, DType.F64, 5, 4, 6);
            // The same mask in every evaluation: reseed before each forward, as the Model does per step.
            gradCheck(CPU, model, x, (g, v) -> {
                d.reseed(99);
                return model.root().forward(g, v);
            });
        }
    }

    @Test
    void distanceLayers() {
        assertArrayEquals(new int[] {3, 5}, check(new Distance(7, 5, DistanceOutput.GAUSSIAN), 3, 7));
        assertArrayEquals(new int[] {4, 3}, check(new Distance(9, 3, DistanceOutput.LOGITS), 4, 9));
        assertArrayEquals(new int[] {3, 5}, check(new RadialBasis(7, 5, DistanceOutput.GAUSSIAN), 3, 7));
        assertArrayEquals(new int[] {2, 6}, check(new RadialBasis(4, 6, DistanceOutput.LOGITS), 2, 4));
    }

    @Test
    void flattenAndSequential() {
        assertArrayEquals(new int[] {2, 4},
                check(new Sequential(new Conv2d(2, 3, 3, 1, 1, true), Activation.tanh(), new MaxPool2d(2),
                        new Flatten(), new Linear(12, 4)), 2, 2, 4, 4));
    }

    @ParameterizedTest
    @CsvSource({"3, 3, 1, true, true", "3, 4, 2, true, true", "3, 4, 2, false, true", "3, 4, 2, true, false",
            "4, 4, 1, false, false"})
    void basicBlock(int in, int out, int stride, boolean bn, boolean skip) {
        int[] shape = check(new BasicBlock(in, out, stride, bn, skip), 2, in, 6, 6);
        assertArrayEquals(new int[] {2, out, 6 / stride, 6 / stride}, shape);
    }

    @Test
    void multiHeadSelfAttention() {
        assertArrayEquals(new int[] {2, 5, 6}, check(new MultiHeadSelfAttention(6, 2), 2, 5, 6));
        assertArrayEquals(new int[] {1, 3, 4}, check(new MultiHeadSelfAttention(4, 1), 1, 3, 4));
    }

    @Test
    void transformerBlock() {
        assertArrayEquals(new int[] {2, 3, 4}, check(new TransformerBlock(4, 2, 2.0, 1e-6), 2, 3, 4));
    }

    @Test
    void classificationHeads() {
        assertArrayEquals(new int[] {3, 2}, check(new ClassificationHead(5, 2, ClassificationHead.Pooling.NONE), 3, 5));
        assertArrayEquals(new int[] {2, 3},
                check(new ClassificationHead(4, 3, ClassificationHead.Pooling.CLASS_TOKEN), 2, 5, 4));
        assertArrayEquals(new int[] {2, 3},
                check(new ClassificationHead(4, 3, ClassificationHead.Pooling.GLOBAL_AVERAGE), 2, 4, 3, 3));
    }

    @Test
    void patchEmbeddingTokens() {
        assertArrayEquals(new int[] {2, 4, 5}, check(new PatchEmbedding(3, 6, 3, 5), 2, 3, 6, 6));
    }
}
