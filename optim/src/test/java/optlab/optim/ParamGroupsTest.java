package optlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import optlab.optim.ParamGroups.Group;
import optlab.optim.ParamGroups.Selector;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Parameter groups: selector resolution, messages, specs, save/reload, bitwise agreement with the plain rule where
 * groups change nothing, and golden trajectories recorded from torch.optim's param groups by
 * experiments/scripts/torch_param_groups.py.
 */
class ParamGroupsTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures/torch_param_groups.txt");

    static ParamSpace space(Tensor values, List<ParamRange> ranges) {
        return ParamSpace.of(values, ranges);
    }

    /** name, kind, numel triples laid end to end. */
    static List<ParamRange> ranges(Object... nameKindNumel) {
        List<ParamRange> r = new ArrayList<>();
        long off = 0;
        for (int i = 0; i < nameKindNumel.length; i += 3) {
            long n = ((Number) nameKindNumel[i + 2]).longValue();
            r.add(new ParamRange((String) nameKindNumel[i], (String) nameKindNumel[i + 1], off, n));
            off += n;
        }
        return List.copyOf(r);
    }

    /** Odd sizes, so slices start off vector boundaries and leave short tails. */
    static final List<ParamRange> NET = ranges("embed.pos", "embedding", 5, "layers.0.weight", "weight", 37,
            "layers.0.bias", "bias", 7, "layers.0.norm.weight", "norm", 7, "layers.0.norm.bias", "norm", 7,
            "dist.centroids", "centroids", 12, "dist.widths", "widths", 3, "head.weight", "weight", 1001,
            "head.bias", "bias", 1);

    static long numel(List<ParamRange> r) {
        return r.getLast().end();
    }

    // ---- selectors ------------------------------------------------------------------------------------------------

    @Test
    void selectorsMatchKindsAndNameGlobs() {
        ParamRange bias = NET.get(2), norm = NET.get(3), centroids = NET.get(5), head = NET.get(7);
        assertTrue(Selector.parse("bias|norm").matches(bias));
        assertTrue(Selector.parse("bias|norm").matches(norm));
        assertTrue(!Selector.parse("bias|norm").matches(head));
        assertTrue(Selector.parse("*.centroids").matches(centroids));
        assertTrue(Selector.parse("centroids").matches(centroids));
        assertTrue(Selector.parse("layers.0.*").matches(norm));
        assertTrue(!Selector.parse("layers.0.*").matches(head));
        assertTrue(Selector.parse("head.weight").matches(head));
        assertTrue(!Selector.parse("head.w").matches(head), "a glob matches the whole name");
        assertTrue(Selector.parse("*weight").matches(norm), "* crosses dots");
        assertEquals("bias|*.centroids", Selector.parse(" bias | *.centroids ").toString());
    }

    @Test
    void firstMatchingGroupWinsAndTheBaseTakesTheRest() {
        Optimizer o = Optimizers.parse("sgd:lr=0.1;layers.0.*:lr=0.01;no_decay=bias|norm;*.centroids:lr=1");
        try (Scope scope = Scope.open(); OptimizerState s = o.init(space(scope.zeros(DType.F32, (int) numel(NET)), NET))) {
            ParamGroups.Runs runs = s.attached(ParamGroups.Runs.class);
            // embed | layers.0.* (weight, bias, norm.weight, norm.bias merged) | centroids | widths + head.weight |
            // head.bias
            assertArrayEquals(new int[] {-1, 0, 2, -1, 1}, runs.group());
            assertArrayEquals(new long[] {0, 5, 63, 75, 1079}, runs.from());
            assertArrayEquals(new long[] {5, 58, 12, 1004, 1}, runs.numel());
        }
    }

    // ---- messages -------------------------------------------------------------------------------------------------

    static String message(Runnable r) {
        return assertThrows(RuntimeException.class, r::run).getMessage();
    }

    @Test
    void refusalsNameTheClause() {
        String kind = message(() -> Optimizers.parse("adamw:lr=1e-3;no_decay=bias|nrom"));
        assertTrue(kind.contains("group 'no_decay=bias|nrom'") && kind.contains("unknown kind 'nrom'")
                && kind.contains("norm"), kind);
        String key = message(() -> Optimizers.parse("adamw:lr=1e-3;bias:lr=1e-4,momentum=0.9"));
        assertTrue(key.contains("group 'bias:lr=1e-4,momentum=0.9'") && key.contains("unknown key 'momentum'"), key);
        String form = message(() -> Optimizers.parse("sgd:lr=0.1;bias"));
        assertTrue(form.contains("group 'bias'") && form.contains("SELECTOR:key=value"), form);
        String twice = message(() -> Optimizers.parse("sgd:lr=0.1;bias:lr=1,lr=2"));
        assertTrue(twice.contains("group 'bias:lr=1,lr=2'") && twice.contains("twice"), twice);
        String value = message(() -> Optimizers.parse("sgd:lr=0.1;bias:lr=-1"));
        assertTrue(value.contains("group 'bias:lr=-1'") && value.contains("Invalid learning rate: -1"), value);
        String path = message(() -> Optimizers.parse("path-sgd:lr=0.01;no_decay=bias"));
        assertTrue(path.contains("path-sgd does not take parameter groups") && path.contains("no_decay=bias"), path);
        String family = message(() -> new ParamGroups(new AdamW(1e-3),
                List.of(new Group(Selector.parse("bias"), new Adam(1e-3)))));
        assertTrue(family.contains("group 'bias'") && family.contains("adam but the base is adamw"), family);
        String zero = message(() -> Optimizers.parse("sgd:lr=0;bias:lr=0.1"));
        assertTrue(zero.contains("group 'bias:lr=0.1'") && zero.contains("base lr of 0"), zero);
        Optimizer grouped = Optimizers.parse("adamw:lr=1e-3,weight_decay=0.05;no_decay=bias|norm");
        String bare = message(() -> {
            try (Scope scope = Scope.open()) {
                grouped.init(scope.zeros(DType.F32, 10)).close();
            }
        });
        assertTrue(bare.contains("group 'no_decay=bias|norm'") && bare.contains("bare tensor with no names"), bare);
    }

    // ---- specs ----------------------------------------------------------------------------------------------------

    @Test
    void specsRoundTrip() {
        for (String spec : List.of("adamw:lr=1e-3,weight_decay=0.05;no_decay=bias|norm",
                "sgd:lr=0.05,momentum=0.9;layers.0.*:lr=0.01,nesterov=true;*.centroids|widths:lr=0.5",
                "adam:lr=0.1;bias:", "rmsprop:lr=0.01,centered=true;norm:alpha=0.9,momentum=0.5",
                "adagrad:lr=0.3;embedding:initial_accumulator_value=0.1,lr_decay=1e-3")) {
            Optimizer o = Optimizers.parse(spec);
            assertTrue(o instanceof ParamGroups, spec);
            assertEquals(o, Optimizers.parse(o.spec()), spec + " -> " + o.spec());
        }
        Optimizer issue = Optimizers.parse("adamw:lr=1e-3,weight_decay=0.05;no_decay=bias|norm");
        assertTrue(issue.spec().endsWith(";no_decay=bias|norm"), issue.spec());
        ParamGroups g = (ParamGroups) issue;
        assertEquals(new AdamW(1e-3, 0.9, 0.999, 1e-8, 0, false, false), g.groups().getFirst().rule());
        assertEquals(g, new ParamGroups(g.base(), List.of(Group.of(g.base(), "bias|norm", "weight_decay=0"))));
        assertEquals("adamw", issue.name());
        assertEquals(1e-3, issue.lr());
    }

    // ---- bitwise agreement with the plain rule --------------------------------------------------------------------

    /** Steps {@code a} over space and {@code b} over a copy for a few steps with a varying lr; bits must agree. */
    static void assertSameBits(Optimizer a, Optimizer b, DType dtype, List<ParamRange> r) {
        int n = (int) numel(r);
        try (Scope scope = Scope.open()) {
            Tensor pa = OptimConfigs.of(scope, dtype, OptimConfigs.uniform(1, n, -1, 1));
            Tensor pb = scope.copyOf(pa);
            Tensor g = scope.zeros(dtype, n);
            try (OptimizerState sa = a.init(space(pa, r)); OptimizerState sb = b.init(space(pb, r))) {
                for (int k = 0; k < 4; k++) {
                    OptimConfigs.fill(g, OptimConfigs.uniform(10 + k, n, -1, 1));
                    double lr = a.lr() / (1 + k);
                    a.step(sa, pa, g, lr);
                    b.step(sb, pb, g, lr);
                }
                assertArrayEquals(pb.toDoubleArray(), pa.toDoubleArray(), a.spec() + " " + dtype);
                assertEquals(sb.names(), sa.names());
                for (String name : sb.names()) {
                    assertArrayEquals(sb.buffer(name).toDoubleArray(), sa.buffer(name).toDoubleArray(), name);
                }
            }
        }
    }

    @Test
    void groupsThatChangeNothingStepAsThePlainRuleBitForBit() {
        for (DType dtype : DType.values()) {
            for (String spec : OptimConfigs.ALL) {
                ChainOptimizer plain = (ChainOptimizer) Optimizers.parse(spec);
                assertSameBits(new ParamGroups(plain, List.of()), plain, dtype, NET);
                // Groups with the base's own hyperparameters: the block runs in slices at odd offsets.
                assertSameBits(Optimizers.parse(spec + ";bias:;layers.0.*:;*.centroids:"), plain, dtype, NET);
            }
        }
    }

    /** A group differing only in one range gives exactly the plain rules' results range by range. */
    @Test
    void eachRangeStepsAsItsGroupsRule() {
        Optimizer grouped = Optimizers.parse("adam:lr=0.1,weight_decay=0.01;no_decay=bias|norm;*.centroids:lr=0.3");
        Optimizer base = new Adam(0.1, 0.9, 0.999, 1e-8, 0.01, false, false);
        Optimizer noDecay = new Adam(0.1), centroids = new Adam(0.3, 0.9, 0.999, 1e-8, 0.01, false, false);
        int n = (int) numel(NET);
        try (Scope scope = Scope.open()) {
            Tensor p = OptimConfigs.of(scope, DType.F64, OptimConfigs.uniform(2, n, -1, 1));
            Tensor[] ref = {scope.copyOf(p), scope.copyOf(p), scope.copyOf(p)};
            Optimizer[] rules = {base, noDecay, centroids};
            Tensor g = scope.zeros(DType.F64, n);
            try (OptimizerState s = grouped.init(space(p, NET))) {
                OptimizerState[] rs = new OptimizerState[3];
                for (int i = 0; i < 3; i++) {
                    rs[i] = rules[i].init(ref[i]);
                }
                for (int k = 0; k < 3; k++) {
                    OptimConfigs.fill(g, OptimConfigs.uniform(20 + k, n, -1, 1));
                    double lr = 0.1 * (1 - 0.2 * k);
                    grouped.step(s, p, g, lr);
                    for (int i = 0; i < 3; i++) {
                        // A group with its own lr follows the schedule as group_lr·(lr/base_lr).
                        rules[i].step(rs[i], ref[i], g, rules[i].lr() == 0.1 ? lr : rules[i].lr() * (lr / 0.1));
                    }
                }
                for (ParamRange r : NET) {
                    int which = r.kind().equals("bias") || r.kind().equals("norm") ? 1
                            : r.kind().equals("centroids") ? 2 : 0;
                    for (long i = r.offset(); i < r.end(); i++) {
                        assertEquals(ref[which].getFlat(i), p.getFlat(i), 0.0, r.name() + " element " + i);
                    }
                }
                for (OptimizerState r : rs) {
                    r.close();
                }
            }
        }
    }

    @Test
    void buffersAreTheUnionAndStartAtEachGroupsInitialValue() {
        Optimizer sgd = Optimizers.parse("sgd:lr=0.1;bias:momentum=0.9");
        Optimizer ada = Optimizers.parse("adagrad:lr=0.1,initial_accumulator_value=0.5;bias:initial_accumulator_value=0");
        try (Scope scope = Scope.open(); OptimizerState s = sgd.init(space(scope.zeros(DType.F64, (int) numel(NET)), NET));
                OptimizerState a = ada.init(space(scope.zeros(DType.F64, (int) numel(NET)), NET))) {
            assertEquals(List.of("momentum_buffer"), s.names());
            assertEquals(List.of("sum"), a.names());
            for (ParamRange r : NET) {
                assertEquals(r.kind().equals("bias") ? 0 : 0.5, a.buffer("sum").getFlat(r.offset()), r.name());
                assertEquals(r.kind().equals("bias") ? 0 : 0.5, a.buffer("sum").getFlat(r.end() - 1), r.name());
            }
        }
    }

    // ---- save / reload ---------------------------------------------------------------------------------------------

    @Test
    void savedStateReloadsBitForBit() throws IOException {
        Optimizer o = Optimizers.parse("adam:lr=0.05,weight_decay=0.1;no_decay=bias|norm;layers.0.*:lr=0.01,amsgrad=true");
        int n = (int) numel(NET);
        for (DType dtype : DType.values()) {
            try (Scope scope = Scope.open()) {
                Tensor p = OptimConfigs.of(scope, dtype, OptimConfigs.uniform(3, n, -1, 1));
                Tensor g = scope.zeros(dtype, n);
                ParamSpace sp = space(p, NET);
                try (OptimizerState s = o.init(sp)) {
                    for (int k = 0; k < 3; k++) {
                        OptimConfigs.fill(g, OptimConfigs.uniform(30 + k, n, -1, 1));
                        o.step(s, p, g);
                    }
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    s.save(bytes);
                    Tensor q = scope.copyOf(p);
                    try (OptimizerState loaded = OptimizerState.load(new ByteArrayInputStream(bytes.toByteArray()))) {
                        ByteArrayOutputStream again = new ByteArrayOutputStream();
                        loaded.save(again);
                        assertArrayEquals(bytes.toByteArray(), again.toByteArray());
                        String unresumed = message(() -> o.step(loaded, q, g));
                        assertTrue(unresumed.contains("resume"), unresumed);
                        o.resume(loaded, space(q, NET));
                        for (int k = 0; k < 3; k++) {
                            OptimConfigs.fill(g, OptimConfigs.uniform(40 + k, n, -1, 1));
                            o.step(s, p, g, 0.02);
                            o.step(loaded, q, g, 0.02);
                        }
                        assertArrayEquals(p.toDoubleArray(), q.toDoubleArray());
                        assertEquals(s.step(), loaded.step());
                        for (String name : s.names()) {
                            assertArrayEquals(s.buffer(name).toDoubleArray(), loaded.buffer(name).toDoubleArray(), name);
                        }
                    }
                }
            }
        }
        String other = message(() -> {
            try (Scope scope = Scope.open(); OptimizerState s = Optimizers.parse("adam:lr=0.1").init(
                    space(scope.zeros(DType.F32, (int) numel(NET)), NET))) {
                o.resume(s, space(scope.zeros(DType.F32, (int) numel(NET)), NET));
            }
        });
        assertTrue(other.contains("max_exp_avg_sq"), other);
    }

    // ---- golden trajectories from torch.optim param groups ------------------------------------------------------

    record Case(String spec, List<ParamRange> ranges, double[] p0, List<Double> lrs, List<double[]> grads,
            List<double[]> params) {
    }

    static List<Case> read() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(FIXTURES)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            Case c = cases.isEmpty() ? null : cases.getLast();
            switch (f[0]) {
                case "case" -> cases.add(new Case(f[1], new ArrayList<>(), null, new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>()));
                case "range" -> c.ranges().add(new ParamRange(f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4])));
                case "p0" -> cases.set(cases.size() - 1, new Case(c.spec(), c.ranges(), TorchFixtureTest.numbers(f, 1),
                        c.lrs(), c.grads(), c.params()));
                case "lr" -> c.lrs().add(Double.parseDouble(f[2]));
                case "g" -> c.grads().add(TorchFixtureTest.numbers(f, 2));
                case "p" -> c.params().add(TorchFixtureTest.numbers(f, 2));
                default -> throw new IllegalStateException("bad fixture line: " + line);
            }
        }
        return cases;
    }

    /**
     * Every parameter after every step agrees with torch to 1e-12 relative (absolute below 1): the tolerance of
     * {@link TorchFixtureTest} for the same dtype (F64). The formulas are torch's, but torch's foreach-free loops
     * and our fused kernel round in a different order (e.g. FMA, bias correction folded into one coefficient), and
     * a scheduled group's lr is group_lr·(lr/base_lr) here against initial_lr·λ there, a few ulps apart.
     */
    @TestFactory
    List<DynamicTest> matchesTorchParamGroups() throws IOException {
        List<Case> cases = read();
        assertTrue(cases.size() >= 5, "fixture cases: " + cases.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.spec() + (c.lrs().getLast() != c.lrs().getFirst() ? " (scheduled)" : ""),
                    () -> replay(c)));
        }
        return tests;
    }

    static void replay(Case c) {
        Optimizer opt = Optimizers.parse(c.spec());
        assertTrue(opt instanceof ParamGroups, c.spec());
        try (Scope scope = Scope.open()) {
            Tensor p = OptimConfigs.of(scope, DType.F64, c.p0());
            Tensor g = scope.zeros(DType.F64, c.p0().length);
            try (OptimizerState state = opt.init(space(p, c.ranges()))) {
                for (int k = 0; k < c.grads().size(); k++) {
                    OptimConfigs.fill(g, c.grads().get(k));
                    opt.step(state, p, g, c.lrs().get(k));
                    double[] want = c.params().get(k);
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], p.getFlat(i), 1e-12 * Math.max(1, Math.abs(want[i])),
                                c.spec() + " step " + (k + 1) + " element " + i);
                    }
                }
            }
        }
    }
}
