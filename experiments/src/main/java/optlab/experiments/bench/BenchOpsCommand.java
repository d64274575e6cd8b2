package optlab.experiments.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code optlab bench ops}: elementwise ops, a row reduction and softmax in GB/s next to a plain
 * memory copy of the same tensor, so each figure reads as a fraction of what memory allows. Ops
 * whose kernels are not written yet are listed as such instead of failing the run.
 */
@Command(name = "ops", mixinStandardHelpOptions = true,
        description = {"Memory-bound ops in GB/s (bytes read + written per second) next to a plain",
                "MemorySegment.copy of the same tensor, measured with JMH."})
public final class BenchOpsCommand implements Callable<Integer> {
    /** Probe size: small, odd, and more than one vector wide so tails are exercised. */
    private static final int PROBE_ROWS = 3, PROBE_COLS = 37;

    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions options;

    @Option(names = "--ops", paramLabel = "LIST", defaultValue = "all",
            description = "Comma-separated ops: all, add, mul-row, relu, exp, sum-last, softmax-last (default: all).")
    String ops;

    @Option(names = "--shape", paramLabel = "RxC", defaultValue = "2048x2048",
            description = "Tensor shape rows x cols (default: ${DEFAULT-VALUE}, 4M elements: beyond the caches).")
    String shape;

    @Override
    public Integer call() {
        List<StreamOp> selected = parseOps(ops);
        int[] rc = parseShape(shape);
        List<Integer> threads = usage(options::threadCounts);
        List<DType> dtypes = usage(options::dtypeList);
        Path json = usage(options::jsonFile);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JmhLauncher.Plan plan = options.plan();
        BenchEnvironment env = BenchEnvironment.current(plan);
        out.print(env.log());
        // Memory-bound ops are read against the copy column; the FMA peak says how fast this machine computes now.
        out.println(FmaPeak.Table.measure(dtypes, threads, plan.forks() == 1 ? 0.4 : 1.2).line());
        out.printf(Locale.ROOT, "shape    %d x %d (%d elements)%n", rc[0], rc[1], (long) rc[0] * rc[1]);
        int runs = dtypes.size() * threads.size() * (selected.size() + 1);
        out.println(plan.describe(runs) + " (fewer if ops are missing)");
        out.println();
        out.flush();

        List<OpsResult> results = new ArrayList<>();
        boolean stopped = false;
        for (DType dtype : dtypes) {
            try {
                results.addAll(measure(selected, dtype, threads, rc, plan, env, out, err));
            } catch (JmhLauncher.Failure e) {
                err.println("bench ops: stopped, another JMH run is measuring on this machine: " + e.getMessage());
                stopped = true;
                break;
            }
        }
        results.sort(Comparator.comparing(OpsResult::dtype).thenComparing(OpsResult::threads)
                .thenComparing(r -> StreamOp.byId(r.op())));
        out.println();
        out.print(table(results));
        out.println("GB/s = compulsory bytes read + written per second, median over forks; vs memcpy = GB/s / memcpy GB/s");
        out.println("at the same dtype and threads; forks = min/median/max, '!' = slowest fork more than 20% below the median.");
        out.flush();
        if (json != null) {
            try {
                ResultsJson.write(json, results);
                out.println("wrote " + json);
            } catch (IOException e) {
                err.println("bench ops: cannot write " + json + ": " + e.getMessage());
                return 1;
            }
        }
        long failures = results.stream().filter(r -> r.status().startsWith("FAILED")).count() + (stopped ? 1 : 0);
        if (failures > 0) {
            err.println("bench ops: " + failures + " op(s) FAILED or stopped (see above)");
            return 1;
        }
        return 0;
    }

    /**
     * One dtype: probes each op, then per thread count times the memory copy and every op that
     * works. Rows of ops that did not run carry their status instead of figures.
     */
    private static List<OpsResult> measure(List<StreamOp> selected, DType dtype, List<Integer> threads, int[] rc,
            JmhLauncher.Plan plan, BenchEnvironment env, PrintWriter out, PrintWriter err) {
        List<OpsResult> rows = new ArrayList<>();
        List<StreamOp> runnable = new ArrayList<>();
        for (StreamOp op : selected) {
            String status = probe(op, dtype);
            if (status.equals("ok")) {
                runnable.add(op);
            } else {
                out.printf(Locale.ROOT, "%-12s %s: %s%n", op.id(), dtype, status);
                for (int t : threads) {
                    rows.add(row(op, dtype, t, rc, null, null, status, env));
                }
            }
        }
        for (int t : threads) {
            ForkScores copy = time(StreamOp.MEMCPY, dtype, t, rc, plan, err);
            for (StreamOp op : concat(StreamOp.MEMCPY, runnable)) {
                ForkScores s = op == StreamOp.MEMCPY ? copy : time(op, dtype, t, rc, plan, err);
                rows.add(row(op, dtype, t, rc, s, copy, s == null ? "FAILED (JMH log above)" : "ok", env));
                report(out, rows.getLast());
            }
        }
        return rows;
    }

    private static List<StreamOp> concat(StreamOp first, List<StreamOp> rest) {
        List<StreamOp> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private <T> T usage(Supplier<T> parse) {
        return BenchOptions.parsed(spec, parse);
    }

    /** "ok", "not implemented" or "FAILED: why", from one small checked call on one thread. */
    static String probe(StreamOp op, DType dtype) {
        try (Scope scope = Scope.open(); Backend backend = Backends.cpu(1)) {
            Tensor[] in = op.inputs(scope, dtype, PROBE_ROWS, PROBE_COLS, 1);
            op.check(backend, in, op.output(scope, dtype, PROBE_ROWS, PROBE_COLS));
            return "ok";
        } catch (UnsupportedOperationException e) {
            return "not implemented";
        } catch (RuntimeException e) {
            return "FAILED: " + e.getMessage();
        }
    }

    /**
     * Per-fork GB/s, or null when the run failed (JMH's log then goes to {@code err}); a busy JMH
     * lock is rethrown, as nothing can be measured until the other run ends.
     */
    private static ForkScores time(StreamOp op, DType dtype, int threads, int[] rc, JmhLauncher.Plan plan, PrintWriter err) {
        Map<String, String> params = Map.of("op", op.name(), "dtype", dtype.name(), "threads", Integer.toString(threads),
                "rows", Integer.toString(rc[0]), "cols", Integer.toString(rc[1]));
        try {
            return JmhLauncher.run(plan, OpsBenchmark.class, "run", params).scaled(op.bytes(rc[0], rc[1], dtype) / 1e9);
        } catch (JmhLauncher.Failure e) {
            if (e.lockBusy()) {
                throw e;
            }
            err.println("bench ops: " + e.getMessage());
            err.print(e.log());
            err.flush();
            return null;
        }
    }

    private static OpsResult row(StreamOp op, DType dtype, int threads, int[] rc, ForkScores s, ForkScores copy,
            String status, BenchEnvironment env) {
        String backend;
        try (Backend b = Backends.cpu(threads)) {
            backend = b.describe();
        }
        Double gbps = s == null ? null : s.median();
        Double copyGbps = copy == null ? null : copy.median();
        return new OpsResult(op.id(), op.description(), dtype.name(), threads, rc[0], rc[1], op.bytes(rc[0], rc[1], dtype),
                gbps, copyGbps, gbps != null && copyGbps != null ? gbps / copyGbps : null,
                s == null ? null : s.perFork(), s != null && s.unstable(), status, backend, env);
    }

    private static void report(PrintWriter out, OpsResult r) {
        out.printf(Locale.ROOT, "%-12s %s %2d thr  %s%n", r.op(), r.dtype(), r.threads(),
                r.gbps() == null ? r.status() : String.format(Locale.ROOT, "%7s GB/s", Table.num(r.gbps())));
        out.flush();
    }

    static String table(List<OpsResult> results) {
        Table t = new Table("op", "dtype", "thr", "GB/s", "memcpy GB/s", "vs memcpy", "forks", "status");
        for (OpsResult r : results) {
            t.row(r.op(), r.dtype(), Integer.toString(r.threads()), Table.num(r.gbps()), Table.num(r.memcpyGbps()),
                    Table.num(r.ratioToMemcpy()), r.forkGbps() == null ? "-" : new ForkScores(r.forkGbps()).spread(),
                    r.status());
        }
        return t.render();
    }

    /** "all" or op ids, memcpy excluded (it always runs as the yardstick). */
    private List<StreamOp> parseOps(String list) {
        Set<StreamOp> out = new LinkedHashSet<>();
        for (String raw : list.split(",", -1)) {
            String id = raw.trim();
            if (id.equals("all")) {
                out.addAll(Arrays.asList(StreamOp.values()));
                continue;
            }
            try {
                out.add(StreamOp.byId(id));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--ops: " + e.getMessage());
            }
        }
        out.remove(StreamOp.MEMCPY);
        return List.copyOf(out);
    }

    private int[] parseShape(String s) {
        String[] parts = s.trim().toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 2) {
                int r = Integer.parseInt(parts[0].trim()), c = Integer.parseInt(parts[1].trim());
                if (r >= 1 && c >= 1 && (long) r * c <= Integer.MAX_VALUE) {
                    return new int[] {r, c};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--shape takes ROWSxCOLS with positive sizes, got '" + s + "'");
    }
}
