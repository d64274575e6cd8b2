package optlab.experiments.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import optlab.tensor.DType;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code optlab bench gemm}: GFLOP/s of optlab's GEMM next to OpenBLAS on square sizes and on the
 * products of one training step of a 784-4000-4000-10 MLP, measured with JMH in forked JVMs.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = {"GEMM GFLOP/s of optlab against OpenBLAS (cblas_sgemm/dgemm via FFM),",
                "measured with JMH; both get the same thread count. Shapes read M x K x N;",
                "NT means B is used transposed (Y = X·Wᵀ). F64 runs on squares >= 256."})
public final class BenchGemmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions options;

    @Option(names = "--shapes", paramLabel = "LIST", defaultValue = "all",
            description = "Comma-separated shape ids or groups: all, square, mlp, sq64..sq2048, mlp-fwd-L1.. (default: all).")
    String shapes;

    /** One measurement: a shape in one dtype at one thread count. */
    record Case(GemmShape shape, DType dtype, int threads) {
        Map<String, String> params() {
            return Map.of("shape", shape.id(), "dtype", dtype.name(), "threads", Integer.toString(threads));
        }
    }

    @Option(names = "--backend", paramLabel = "cpu|cuda", defaultValue = "cpu", description = {"cpu (default): JMH beside"
            + " OpenBLAS as above; cuda: device-resident square GEMMs (cuBLAS) of --size, validated first, timed between",
            "two synchronizations (the GPU suite prints torch.matmul beside them)."})
    String backend;

    @Option(names = "--size", paramLabel = "N", split = ",", description = "With --backend cuda: square sizes (default 4096,8192).")
    List<Integer> sizes;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "10", description = "With --backend cuda: timed products per size.")
    int reps;

    @Override
    public Integer call() {
        if (!backend.equals("cpu")) {
            return onDevice();
        }
        List<Case> cases = cases();
        Path json = usage(options::jsonFile);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JmhLauncher.Plan plan = options.plan();
        BenchEnvironment env = BenchEnvironment.current(plan);
        boolean withBlas = env.openblas() != null;
        int runs = cases.size() * (withBlas ? 2 : 1);
        out.print(env.log());
        FmaPeak.Table peak = FmaPeak.Table.measure(cases.stream().map(Case::dtype).distinct().toList(),
                cases.stream().map(Case::threads).distinct().toList(), plan.forks() == 1 ? 0.4 : 1.2);
        out.println(peak.line());
        out.println(plan.describe(runs));
        out.println();
        out.flush();

        List<GemmResult> results = new ArrayList<>();
        boolean stopped = false;
        for (int i = 0; i < cases.size() && !stopped; i++) {
            Case c = cases.get(i);
            GemmResult r;
            try {
                r = measure(c, plan, withBlas, env, err);
            } catch (JmhLauncher.Failure e) {
                err.println("bench gemm: stopped, another JMH run is measuring on this machine: " + e.getMessage());
                stopped = true;
                continue;
            }
            results.add(r);
            out.printf(Locale.ROOT, "[%2d/%d] %-34s %s %2d thr  %s%n", i + 1, cases.size(), c.shape().label(), c.dtype(),
                    c.threads(), progress(r));
            out.flush();
            if (r.error() != null) {
                err.println("bench gemm: " + c.shape().label() + " " + c.dtype() + " " + c.threads() + " thr FAILED: " + r.error());
                err.flush();
            }
        }
        out.println();
        out.print(table(results, peak));
        out.println("GF/s = 2*M*K*N flops per second, median over forks; ratio = optlab / OpenBLAS; % peak = share of the");
        out.println("FMA peak above at the same dtype and thread count;");
        out.println("forks = min/median/max of per-fork GF/s, '!' = slowest fork more than 20% below the median.");
        summary(results).forEach(out::println);
        out.flush();
        if (json != null) {
            try {
                ResultsJson.write(json, results);
                out.println("wrote " + json);
            } catch (IOException e) {
                err.println("bench gemm: cannot write " + json + ": " + e.getMessage());
                return 1;
            }
        }
        long failures = results.stream().filter(r -> r.error() != null).count() + (stopped ? 1 : 0);
        if (failures > 0) {
            err.println("bench gemm: " + failures + " measurement(s) FAILED or stopped (see above)");
            return 1;
        }
        return 0;
    }

    /** --backend cuda: device-resident square GEMMs in each --dtype. */
    private int onDevice() {
        if (!backend.equals("cuda")) {
            throw new ParameterException(spec.commandLine(), "--backend must be cpu or cuda, got '" + backend + "'");
        }
        List<DType> dtypes = usage(options::dtypeList);
        PrintWriter err = spec.commandLine().getErr();
        try (Backend cuda = Backends.cuda()) {
            System.out.println("bench gemm: " + cuda.describe());
            int status = 0;
            for (DType d : dtypes) {
                status |= DeviceGemmTiming.run(cuda, d, sizes == null ? List.of(4096, 8192) : sizes, reps, System.out);
            }
            return status;
        } catch (optlab.tensor.backend.BackendUnavailableException e) {
            err.println("bench gemm: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The cases the options select, in table order; usage errors name the bad option. */
    List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        List<Integer> threads = usage(options::threadCounts);
        List<DType> dtypes = usage(options::dtypeList);
        for (GemmShape s : usage(() -> GemmShape.select(shapes))) {
            for (DType d : dtypes) {
                if (d == DType.F64 && !s.timedInF64()) {
                    continue;
                }
                for (int t : threads) {
                    cases.add(new Case(s, d, t));
                }
            }
        }
        if (cases.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no benchmark matches --shapes " + shapes + " --dtype "
                    + options.dtypes + " (F64 is timed only on squares >= " + GemmShape.F64_MIN_SQUARE + ")");
        }
        return cases;
    }

    private <T> T usage(Supplier<T> parse) {
        return BenchOptions.parsed(spec, parse);
    }

    /**
     * Times optlab (and OpenBLAS) on one case; a failed run prints JMH's log to {@code err} and is
     * recorded, except when another JMH run holds the lock, which stops the whole run.
     */
    private static GemmResult measure(Case c, JmhLauncher.Plan plan, boolean withBlas, BenchEnvironment env,
            PrintWriter err) {
        GemmShape s = c.shape();
        double gflop = s.flops() / 1e9;
        String backend;
        try (Backend b = Backends.cpu(c.threads())) {
            backend = b.describe();
        }
        ForkScores optlab = null, blas = null;
        String error = null;
        try {
            optlab = JmhLauncher.run(plan, GemmBenchmark.class, "optlab", c.params()).scaled(gflop);
            if (withBlas) {
                blas = JmhLauncher.run(plan, GemmBenchmark.class, "openblas", c.params()).scaled(gflop);
            }
        } catch (JmhLauncher.Failure e) {
            if (e.lockBusy()) {
                throw e;
            }
            error = e.getMessage();
            err.print(e.log());
            err.flush();
        }
        Double o = optlab == null ? null : optlab.median();
        Double ob = blas == null ? null : blas.median();
        return new GemmResult(s.label(), s.id(), s.m(), s.k(), s.n(), s.layout(), c.dtype().name(), c.threads(),
                o, ob, o != null && ob != null ? o / ob : null,
                optlab == null ? null : optlab.perFork(), blas == null ? null : blas.perFork(),
                optlab != null && optlab.unstable(), blas != null && blas.unstable(), error, backend, env);
    }

    private static String progress(GemmResult r) {
        if (r.error() != null) {
            return "FAILED";
        }
        String line = String.format(Locale.ROOT, "optlab %7s GFLOP/s", Table.num(r.optlabGflops()));
        if (r.openblasGflops() != null) {
            line += String.format(Locale.ROOT, "   OpenBLAS %7s GFLOP/s   ratio %s", Table.num(r.openblasGflops()),
                    Table.num(r.ratio()));
        }
        return line;
    }

    /** Per dtype and thread count, the geometric mean of optlab / OpenBLAS over the shapes with both figures. */
    static List<String> summary(List<GemmResult> results) {
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (GemmResult r : results) {
            if (r.ratio() != null) {
                ratios.computeIfAbsent(r.dtype() + " " + r.threads() + " thr", k -> new ArrayList<>()).add(r.ratio());
            }
        }
        List<String> lines = new ArrayList<>();
        ratios.forEach((key, rs) -> lines.add(String.format(Locale.ROOT, "geomean optlab/OpenBLAS %s: %s over %d shape(s)",
                key, Table.num(Math.exp(rs.stream().mapToDouble(Math::log).average().orElseThrow())), rs.size())));
        return lines;
    }

    static String table(List<GemmResult> results, FmaPeak.Table peak) {
        Table t = new Table("shape (MxKxN)", "dtype", "thr", "optlab GF/s", "% peak", "OpenBLAS GF/s", "% peak", "ratio",
                "optlab forks", "OpenBLAS forks");
        for (GemmResult r : results) {
            t.row(r.shape(), r.dtype(), Integer.toString(r.threads()),
                    r.error() != null ? "FAILED" : Table.num(r.optlabGflops()),
                    peak.percent(r.optlabGflops(), r.dtype(), r.threads()), Table.num(r.openblasGflops()),
                    peak.percent(r.openblasGflops(), r.dtype(), r.threads()), Table.num(r.ratio()),
                    spread(r.optlabForkGflops()), spread(r.openblasForkGflops()));
        }
        return t.render();
    }

    private static String spread(List<Double> perFork) {
        return perFork == null ? "-" : new ForkScores(perFork).spread();
    }
}
