package optlab.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import optlab.models.Model;
import optlab.models.Module;
import optlab.models.init.InitScheme;
import optlab.models.io.SafeTensors;
import optlab.models.param.Parameterization;
import optlab.models.path.PathNetworks;
import optlab.models.zoo.Zoo;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.autodiff.Graph;
import optlab.tensor.autodiff.Variable;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distance networks (Kurbiel and Khaleghian): zoo keys and shapes, the authors' seeded init and what it
 * gives on inputs in [0, 1], weights moving by key through safetensors, and the refusals of the
 * parameterizations and path structures, which are defined for weighted sums only.
 */
class DistanceNetTest {
    private static final Backend CPU = Backends.cpu(2);

    @AfterAll
    static void close() {
        CPU.close();
    }

    private static List<String> keys(String spec) {
        return List.copyOf(Zoo.parse(spec).namedParameters().keySet());
    }

    @Test
    void zooKeysAndShapes() {
        assertEquals(List.of("0.centroids", "0.widths", "1.centroids", "1.widths", "2.centroids", "2.widths"),
                keys("distance:784-100-100-10"));
        assertEquals(List.of("0.centres", "0.radii", "1.weight", "1.bias"), keys("rbf:784-100-10"));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.centroids", "4.widths"),
                keys("mlp-distance:784-100-100-10"));
        Module net = Zoo.parse("distance:784-100-100-10");
        assertArrayEquals(new int[] {100, 784}, net.namedParameters().get("0.widths").shape());
        assertArrayEquals(new int[] {10, 100}, net.namedParameters().get("2.centroids").shape());
        assertArrayEquals(new int[] {100}, Zoo.parse("rbf:784-100-10").namedParameters().get("0.radii").shape());
        assertEquals("Distance(in=100, out=10, output=logits)", net.modules().getLast().toString());
        assertEquals("Distance(in=784, out=100, output=gaussian)", net.modules().get(1).toString());
        for (String spec : new String[] {"distance:12-7-3", "rbf:12-7-3", "mlp-distance:12-7-3,act=tanh"}) {
            try (Model m = Zoo.build(spec, DType.F32, InitScheme.PYTORCH, 1); Scope s = Scope.open();
                    Graph g = Graph.noGrad(CPU, s)) {
                Tensor x = s.uniform(DType.F32, new SplittableRandom(2), 0, 1, 5, 12);
                assertArrayEquals(new int[] {5, 3}, m.forward(g, Variable.constant(x)).shape(), spec);
            }
        }
    }

    @Test
    void specErrorsQuoteTheSpec() {
        var e = assertThrows(IllegalArgumentException.class, () -> Zoo.parse("rbf:784-10"));
        assertEquals("model spec 'rbf:784-10': rbf: needs input, hidden, and output sizes, got 2 size(s)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.parse("distance:784-10,act=relu"));
        assertTrue(e.getMessage().startsWith("model spec 'distance:784-10,act=relu': unknown key 'act'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.parse("dist:784-10"));
        assertTrue(e.getMessage().contains("(known: mlp, cnn, resnet, vit, distance, rbf, mlp-distance)"), e.getMessage());
    }

    /**
     * C ~ U[0.5, 0.8] and Θ = f·(1 + 0.4·N(0, 1)), f = √(2 ln 10 / n_in), under any scheme but ZEROS,
     * the same for the same seed; on inputs in [0, 1] the first activations exp(−z/2) start at
     * exp(−1.16·ln 10·E[(a − C)²]) (see Init.distanceWidths): ≈ 0.74 for uniform inputs.
     */
    @Test
    void authorsInitIsSeededAndGivesTheExpectedActivations() {
        try (Model a = Zoo.build("distance:784-100-10", DType.F64, InitScheme.HE, 7);
                Model b = Zoo.build("distance:784-100-10", DType.F64, InitScheme.PYTORCH, 7); Scope s = Scope.open()) {
            assertEquals(a.parameters().getFlat(12345), b.parameters().getFlat(12345));
            Tensor c = a.stateDict().get("0.centroids"), w = a.stateDict().get("0.widths");
            double f = Math.sqrt(2 * Math.log(10) / 784);
            double[] cs = stats(c), ws = stats(w);
            assertTrue(cs[2] >= 0.5 && cs[3] < 0.8, "centroids in [0.5, 0.8)");
            assertEquals(0.65, cs[0], 0.003);
            assertEquals(f, ws[0], 0.005 * f);
            assertEquals(0.4 * f, ws[1], 0.01 * f);
            assertEquals(Math.sqrt(2 * Math.log(10) / 100), stats(a.stateDict().get("1.widths"))[0], 0.05);

            Tensor x = s.uniform(DType.F64, new SplittableRandom(3), 0, 1, 64, 784);
            Module first = ((Sequential) a.root()).children().get("0");
            try (Graph g = Graph.noGrad(CPU, s)) {
                double mean = stats(first.forward(g, Variable.constant(x)).value())[0];
                // E[(a − C)²] = 1/12 + 0.3²/12 + 0.15² = 0.1133 for a ~ U[0, 1], C ~ U[0.5, 0.8]
                double expected = Math.exp(-1.16 * Math.log(10) * (1.0 / 12 + 0.09 / 12 + 0.0225));
                assertEquals(expected, mean, 0.02, "mean first activation");
            }
        }
        try (Model z = Zoo.build("distance:5-3", DType.F32, InitScheme.ZEROS, 7)) {
            assertEquals(0, stats(z.parameters())[3]);
        }
        try (Model r = Zoo.build("rbf:50-4-2", DType.F64, InitScheme.PYTORCH, 7)) {
            assertEquals(Math.sqrt(50 / (2 * Math.log(10))), r.stateDict().get("0.radii").getFlat(3), 1e-12);
        }
    }

    @Test
    void weightsMoveByKeyThroughSafetensors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("d.safetensors");
        try (Model a = Zoo.build("distance:12-7-3", DType.F32, InitScheme.PYTORCH, 1);
                Model b = Zoo.build("distance:12-7-3", DType.F32, InitScheme.PYTORCH, 2)) {
            SafeTensors.write(file, a.stateDict());
            SafeTensors.loadInto(file, b.stateDict());
            for (String key : a.stateDict().keySet()) {
                assertTrue(key.endsWith(".centroids") || key.endsWith(".widths"), key);
                Tensor x = a.stateDict().get(key), y = b.stateDict().get(key);
                for (long i = 0; i < x.numel(); i++) {
                    assertEquals(x.getFlat(i), y.getFlat(i), key);
                }
            }
            assertTrue(Files.size(file) > 0);
        }
    }

    @Test
    void parameterizationsRefuseDistanceLayers() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Parameterization.mup(1).build("distance:20-5-3", DType.F32, InitScheme.PYTORCH, 1));
        assertEquals("MUP parameterization does not apply to Distance(in=20, out=5, output=gaussian): a distance layer's"
                + " centroids and widths are not the weights of a weighted sum, so there is no fan-in multiplier to set;"
                + " use the standard parameterization", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Parameterization.ntk(1).build("mlp-distance:20-5-3", DType.F32, InitScheme.PYTORCH, 1));
        assertTrue(e.getMessage().startsWith("NTK parameterization does not apply to Distance(in=5, out=3, output=logits)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Parameterization.ntk(1).build("rbf:20-5-3", DType.F32, InitScheme.PYTORCH, 1));
        assertTrue(e.getMessage().startsWith("NTK parameterization does not apply to RadialBasis(in=20, out=5"),
                e.getMessage());
        try (Model m = Parameterization.STANDARD.build("distance:20-5-3", DType.F32, InitScheme.PYTORCH, 1)) {
            assertEquals(2 * (20 * 5 + 5 * 3), m.numParameters());
        }
    }

    @Test
    void pathStructuresRefuseDistanceLayers() {
        try (Model m = Zoo.build("mlp-distance:20-5-3", DType.F32, InitScheme.PYTORCH, 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> PathNetworks.of(m));
            assertTrue(e.getMessage().startsWith("PathNetworks: Distance(in=5, out=3, output=logits) at '2' is not"
                    + " supported: a distance layer computes a Gaussian of weighted squared differences"), e.getMessage());
        }
        try (Model m = Zoo.build("rbf:20-5-3", DType.F32, InitScheme.PYTORCH, 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> PathNetworks.of(m));
            assertTrue(e.getMessage().startsWith("PathNetworks: RadialBasis(in=20, out=5, output=gaussian) at '0'"),
                    e.getMessage());
        }
    }

    /** mean, standard deviation, min, max. */
    private static double[] stats(Tensor t) {
        double sum = 0, sq = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            double v = t.getFlat(i);
            sum += v;
            sq += v * v;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(sq / n - mean * mean), lo, hi};
    }
}
