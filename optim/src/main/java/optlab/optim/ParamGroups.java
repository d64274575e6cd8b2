package optlab.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import optlab.optim.internal.Kernels;
import optlab.optim.transform.StateBuffer;
import optlab.tensor.Tensor;
import optlab.tensor.update.UpdateStage;

/**
 * Parameter groups, torch.optim's {@code param_groups}: named ranges of the flat block that step with their own
 * hyperparameters. A base rule plus groups, each a {@link Selector} and a rule of the base's family; at
 * {@link #init(ParamSpace)} every range of the space goes to the first group whose selector matches it, or to the
 * base. A step streams each group's fused chain over its ranges in place (slices of params, grads and the state
 * buffers at the same offsets; adjacent ranges of one group run as one slice), so with no groups, or groups that
 * match nothing, it is the base rule's single pass, bit for bit.
 *
 * <p>One {@link OptimizerState} for the block: one step counter (torch keeps one per tensor, all equal) and the
 * union of the buffers the groups' chains keep, full-block size; a group that keeps no such buffer leaves its
 * slice at the initial value. Which range belongs to which group is an unsaved attachment that {@link #resume}
 * rebuilds from the space after {@link OptimizerState#load}.
 *
 * <p>Schedules scale groups as torch's schedulers do (each group's lr times one factor): a step at learning rate
 * {@code lr} runs the base group at {@code lr} and a group with its own lr at {@code lr · group.lr / base.lr}
 * (exactly its own lr when {@code lr == base.lr}).
 *
 * <p>One deviation from torch 1.13: a group's own Adagrad {@code initial_accumulator_value} is honoured on its
 * ranges; torch starts every group's sum at the constructor's value.
 *
 * <p>Spec ({@link Optimizers#parse}): {@code BASE;GROUP;...}, each GROUP {@code SELECTOR:key=value,...} (keys
 * overriding the base's) or {@code no_decay=SELECTOR} (≡ {@code SELECTOR:weight_decay=0}); e.g.
 * {@code adamw:lr=1e-3,weight_decay=0.05;no_decay=bias|norm}.
 *
 * @param base   the rule for ranges no group selects; its lr is the one schedules drive
 * @param groups in priority order (first match wins)
 */
public record ParamGroups(ChainOptimizer base, List<Group> groups) implements Optimizer {

    /**
     * Which ranges a group takes: {@code |}-separated alternatives, each a kind ({@link #KINDS}) or a glob over
     * state-dict names (an alternative containing {@code *} or {@code .}; {@code *} matches any run of characters,
     * dots included: {@code *.centroids}, {@code layers.0.*}).
     */
    public record Selector(List<String> alternatives) {
        /** The kinds models give ranges ({@link ParamRange#kind()}); a role new to the models goes here too. */
        public static final List<String> KINDS = List.of("weight", "bias", "norm", "embedding", "centroids", "widths");

        public Selector {
            alternatives = List.copyOf(alternatives);
            if (alternatives.isEmpty()) {
                throw new IllegalArgumentException("selector '': expected a kind or a name glob");
            }
            for (String a : alternatives) {
                if (a.isBlank() || !a.equals(a.strip()) || a.contains("|")) {
                    throw new IllegalArgumentException("selector '" + String.join("|", alternatives)
                            + "': empty or padded alternative '" + a + "'");
                }
                if (!isGlob(a) && !KINDS.contains(a)) {
                    throw new IllegalArgumentException("selector '" + String.join("|", alternatives) + "': unknown kind '"
                            + a + "'; kinds are " + String.join(", ", KINDS)
                            + " (an alternative with '*' or '.' is a name glob, e.g. *." + a + ")");
                }
            }
        }

        /** "bias|norm|layers.0.*". */
        public static Selector parse(String text) {
            List<String> alts = new ArrayList<>();
            for (String a : text.split("\\|", -1)) {
                alts.add(a.strip());
            }
            return new Selector(alts);
        }

        private static boolean isGlob(String a) {
            return a.contains("*") || a.contains(".");
        }

        public boolean matches(ParamRange r) {
            for (String a : alternatives) {
                if (isGlob(a) ? glob(a).matcher(r.name()).matches() : a.equals(r.kind())) {
                    return true;
                }
            }
            return false;
        }

        private static Pattern glob(String g) {
            StringBuilder re = new StringBuilder();
            for (String part : g.split("\\*", -1)) {
                if (!re.isEmpty()) {
                    re.append(".*");
                }
                re.append(Pattern.quote(part));
            }
            return Pattern.compile(re.toString());
        }

        @Override
        public String toString() {
            return String.join("|", alternatives);
        }
    }

    /** The ranges {@code selector} takes step with {@code rule}. */
    public record Group(Selector selector, ChainOptimizer rule) {
        public Group {
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(rule, "rule");
        }

        /** The group {@code selector} with the base's hyperparameters but {@code overrides} ("lr=0.1,weight_decay=0"). */
        public static Group of(ChainOptimizer base, String selector, String overrides) {
            return ParamGroups.clause(base, selector + ":" + overrides);
        }
    }

    public ParamGroups {
        Objects.requireNonNull(base, "base");
        groups = List.copyOf(groups);
        for (Group g : groups) {
            if (g.rule().getClass() != base.getClass()) {
                throw new IllegalArgumentException("group '" + g.selector() + "' (" + g.rule().spec() + "): its rule is "
                        + g.rule().name() + " but the base is " + base.name()
                        + "; parameter groups share one rule family and override its hyperparameters");
            }
            String clause = "group '" + clauseText(base, g) + "'";
            if (base.lr() == 0 && g.rule().lr() != 0) {
                throw new IllegalArgumentException(clause + ": lr=" + g.rule().lr() + " cannot follow a schedule from a"
                        + " base lr of 0 (a group steps at lr(k)·group_lr/base_lr)");
            }
        }
    }

    /** Parses the GROUP clauses of a spec (everything after the base's {@code ;}) over {@code base}. */
    static Optimizer parse(Optimizer base, List<String> clauses) {
        if (!(base instanceof ChainOptimizer chained)) {
            throw new IllegalArgumentException(base.name() + " does not take parameter groups (its step is not a"
                    + " per-element chain; drop '" + String.join(";", clauses) + "')");
        }
        List<Group> groups = new ArrayList<>();
        for (String c : clauses) {
            groups.add(clause(chained, c));
        }
        return new ParamGroups(chained, groups);
    }

    /** One GROUP clause: {@code SELECTOR:key=value,...} or {@code no_decay=SELECTOR}. */
    private static Group clause(ChainOptimizer base, String clause) {
        String c = clause.strip();
        try {
            String selector, overrides;
            if (c.startsWith("no_decay=")) {
                selector = c.substring("no_decay=".length());
                overrides = "weight_decay=0";
            } else {
                int colon = c.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("expected SELECTOR:key=value,... or no_decay=SELECTOR");
                }
                selector = c.substring(0, colon);
                overrides = c.substring(colon + 1);
            }
            Selector s = Selector.parse(selector);
            Map<String, String> items = items(base.spec());
            Map<String, String> given = new LinkedHashMap<>();
            for (String item : SpecArgs.splitTopLevel(overrides)) {
                if (item.isBlank()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected key=value, got '" + item.strip() + "'");
                }
                String key = item.substring(0, eq).strip();
                if (given.put(key, item.substring(eq + 1).strip()) != null) {
                    throw new IllegalArgumentException("key '" + key + "' given twice");
                }
            }
            items.putAll(given); // keys the base does not know are left for its parser to reject
            StringBuilder spec = new StringBuilder(base.name()).append(':');
            items.forEach((k, v) -> spec.append(k).append('=').append(v).append(','));
            spec.setLength(spec.length() - 1);
            return new Group(s, (ChainOptimizer) Optimizers.parse(spec.toString()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("group '" + c + "': " + e.getMessage(), e);
        }
    }

    /** The key=value items of a rule's spec, in order. */
    private static Map<String, String> items(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String item : SpecArgs.splitTopLevel(spec.substring(spec.indexOf(':') + 1))) {
            int eq = item.indexOf('=');
            m.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return m;
    }

    /** The group as a spec clause: its selector and the hyperparameters that differ from the base's. */
    private static String clauseText(ChainOptimizer base, Group g) {
        Map<String, String> mine = items(g.rule().spec()), theirs = items(base.spec());
        List<String> diff = new ArrayList<>();
        mine.forEach((k, v) -> {
            if (!v.equals(theirs.get(k))) {
                diff.add(k + "=" + v);
            }
        });
        if (diff.size() == 1 && mine.containsKey("weight_decay") && diff.getFirst().startsWith("weight_decay=")
                && Double.parseDouble(mine.get("weight_decay")) == 0) {
            return "no_decay=" + g.selector();
        }
        return g.selector() + ":" + String.join(",", diff);
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public double lr() {
        return base.lr();
    }

    /** The base's spec, then one clause per group; a group-less value prints (and parses back to) the base rule. */
    @Override
    public String spec() {
        StringBuilder sb = new StringBuilder(base.spec());
        for (Group g : groups) {
            sb.append(';').append(clauseText(base, g));
        }
        return sb.toString();
    }

    /** The rule of group {@code i}, or the base for -1. */
    private ChainOptimizer rule(int i) {
        return i < 0 ? base : groups.get(i).rule();
    }

    /** The saved buffers: the base chain's, then those only groups keep, first occurrence first. */
    private List<StateBuffer> layout() {
        Map<String, StateBuffer> all = new LinkedHashMap<>();
        for (int i = -1; i < groups.size(); i++) {
            for (StateBuffer b : rule(i).chain().buffers()) {
                all.putIfAbsent(b.name(), b);
            }
        }
        return List.copyOf(all.values());
    }

    /**
     * Which group each stretch of the block belongs to: elements [from[i], from[i] + numel[i]) step with group
     * group[i] (-1: the base); adjacent ranges of one group are merged. An unsaved attachment of the state.
     */
    record Runs(int[] group, long[] from, long[] numel) implements AutoCloseable {
        @Override
        public void close() {
        }
    }

    /** Resolves the selectors against the space's ranges (first matching group wins). */
    private Runs resolve(String op, ParamSpace space) {
        Tensor values = space.values();
        FlatBlock.check(op, "params", values);
        if (!groups.isEmpty() && !space.named()) {
            throw new IllegalArgumentException(op + ": group '" + clauseText(base, groups.getFirst()) + "' selects by kind or"
                    + " name, but this block is a bare tensor with no names; init with the model's space"
                    + " (optlab.models.ModelSpace.of(model))");
        }
        List<Integer> group = new ArrayList<>();
        List<Long> from = new ArrayList<>(), numel = new ArrayList<>();
        long next = 0;
        for (ParamRange r : space.ranges()) {
            if (r.offset() != next) {
                throw new IllegalArgumentException(op + ": range " + r + " does not start where the previous one ends ("
                        + next + "); a space's ranges must cover the block in order");
            }
            next = r.end();
            if (r.numel() == 0) {
                continue;
            }
            int gi = -1;
            for (int i = 0; i < groups.size() && gi < 0; i++) {
                gi = groups.get(i).selector().matches(r) ? i : -1;
            }
            int last = group.size() - 1;
            if (last >= 0 && group.get(last) == gi) {
                numel.set(last, numel.get(last) + r.numel());
            } else {
                group.add(gi);
                from.add(r.offset());
                numel.add(r.numel());
            }
        }
        if (next != values.numel()) {
            throw new IllegalArgumentException(op + ": the ranges cover " + next + " elements, the block holds "
                    + values.numel());
        }
        return new Runs(group.stream().mapToInt(Integer::intValue).toArray(),
                from.stream().mapToLong(Long::longValue).toArray(), numel.stream().mapToLong(Long::longValue).toArray());
    }

    @Override
    public OptimizerState init(ParamSpace space) {
        Runs runs = resolve(name() + ".init", space);
        Tensor values = space.values();
        List<StateBuffer> layout = layout();
        OptimizerState s = new OptimizerState(values.dtype(), values.numel(), layout);
        // A buffer whose initial value differs between groups (Adagrad's initial_accumulator_value) starts at
        // each group's own value on its slices.
        for (StateBuffer b : layout) {
            for (int r = 0; r < runs.group().length; r++) {
                for (StateBuffer mine : rule(runs.group()[r]).chain().buffers()) {
                    if (mine.name().equals(b.name()) && mine.initialValue() != b.initialValue()) {
                        Tensor t = s.buffer(b.name());
                        for (long i = runs.from()[r], end = i + runs.numel()[r]; i < end; i++) {
                            t.setFlat(i, mine.initialValue());
                        }
                    }
                }
            }
        }
        s.attach(Runs.class, runs);
        return s;
    }

    /** Checks the loaded buffers against a fresh state's and attaches the space's groups. */
    @Override
    public OptimizerState resume(OptimizerState loaded, ParamSpace space) {
        Runs runs = resolve(name() + ".resume", space);
        loaded.checkFits(name() + ".resume", space.values(), layout());
        loaded.attach(Runs.class, runs);
        return loaded;
    }

    @Override
    public void step(OptimizerState state, Tensor params, Tensor grads, double lr) {
        String op = name() + ".step";
        FlatBlock.checkStep(op, state, params, grads, layout());
        Runs runs = state.attached(Runs.class);
        if (runs == null) {
            if (!groups.isEmpty()) {
                throw new IllegalStateException(op + ": this state has no parameter groups (a reloaded state?);"
                        + " call resume(state, space) first");
            }
            runs = new Runs(new int[] {-1}, new long[] {0}, new long[] {params.numel()});
        }
        long t = state.advance();
        UpdateStage[][] lowered = new UpdateStage[groups.size() + 1][];
        for (int r = 0; r < runs.group().length; r++) {
            int gi = runs.group()[r];
            ChainOptimizer rule = rule(gi);
            if (lowered[gi + 1] == null) {
                lowered[gi + 1] = rule.chain().stages(t, state);
            }
            long from = runs.from()[r], n = runs.numel()[r];
            UpdateStage[] stages = lowered[gi + 1];
            Tensor p = params, g = grads;
            if (from != 0 || n != params.numel()) {
                stages = stages.clone();
                for (int i = 0; i < stages.length; i++) {
                    stages[i] = stages[i].slice(from, n);
                }
                p = params.slice(0, Math.toIntExact(from), Math.toIntExact(from + n));
                g = grads.slice(0, Math.toIntExact(from), Math.toIntExact(from + n));
            }
            double groupLr = rule.lr() == base.lr() ? lr : rule.lr() * (lr / base.lr());
            Kernels.update(state.backend(), state.team(), stages, groupLr, p, g);
        }
    }
}
