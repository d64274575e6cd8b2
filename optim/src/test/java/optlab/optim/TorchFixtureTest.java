package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Trajectories recorded from torch.optim (float64) by src/test/resources/fixtures/make_fixtures.py:
 * replaying the recorded gradients, every parameter after every step agrees to 1e-12.
 */
class TorchFixtureTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures/torch_trajectories.txt");

    record Case(String spec, double[] p0, List<double[]> grads, List<double[]> params) {
    }

    static List<Case> read() throws IOException {
        List<Case> cases = new ArrayList<>();
        Case c = null;
        for (String line : Files.readAllLines(FIXTURES)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            switch (f[0]) {
                case "case" -> {
                    c = new Case(f[1], null, new ArrayList<>(), new ArrayList<>());
                    cases.add(c);
                }
                case "p0" -> cases.set(cases.size() - 1, c = new Case(c.spec(), numbers(f, 1), c.grads(), c.params()));
                case "g" -> c.grads().add(numbers(f, 2));
                case "p" -> c.params().add(numbers(f, 2));
                default -> throw new IllegalStateException("bad fixture line: " + line);
            }
        }
        return cases;
    }

    static double[] numbers(String[] f, int from) {
        return Arrays.stream(f, from, f.length).mapToDouble(Double::parseDouble).toArray();
    }

    @TestFactory
    List<DynamicTest> matchesTorch() throws IOException {
        List<Case> cases = read();
        assertTrue(cases.size() >= 15, "fixture cases: " + cases.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.spec(), () -> replay(c)));
        }
        return tests;
    }

    static void replay(Case c) {
        Optimizer opt = Optimizers.parse(c.spec());
        try (Scope scope = Scope.open(); OptimizerState state = opt.init(OptimConfigs.of(scope, DType.F64, c.p0()))) {
            Tensor p = OptimConfigs.of(scope, DType.F64, c.p0());
            Tensor g = scope.zeros(DType.F64, c.p0().length);
            for (int k = 0; k < c.grads().size(); k++) {
                OptimConfigs.fill(g, c.grads().get(k));
                opt.step(state, p, g);
                double[] want = c.params().get(k);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], p.getFlat(i), 1e-12 * Math.max(1, Math.abs(want[i])),
                            c.spec() + " step " + (k + 1) + " element " + i);
                }
            }
        }
    }
}
