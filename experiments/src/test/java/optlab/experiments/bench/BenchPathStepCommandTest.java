package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import optlab.experiments.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code optlab bench path-step}: a tiny run's output, help, bad options. */
class BenchPathStepCommandTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "path-step";
        System.arraycopy(args, 0, all, 2, args.length);
        int code = cli.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    private static final Pattern STEP = Pattern.compile(
            "(sgd|path-sgd) +step median +([0-9.]+) ms, p10 +([0-9.]+) ms; update median +([0-9.]+) ms; (\\d+) steps; loss ([0-9.]+)"
                    + "; median ([0-9.e+-]+) GFLOP/s, ([0-9]+)% of the (F32|F64) 1-thread FMA peak");
    /** One step of mlp:12-9-7-5 at batch 3: 6 x batch x sum of fan_in x fan_out. */
    private static final double FLOPS = 6.0 * 3 * (12 * 9 + 9 * 7 + 7 * 5);
    private static final Pattern RATIO = Pattern.compile("path-sgd/sgd step ratio: median ([0-9.]+), p10 ([0-9.]+)");

    @Test
    void tinyModelPrintsBothOptimizersAndFiniteRatios() {
        for (String dtype : new String[] {"f32", "f64"}) {
            Run r = run("--model", "mlp:12-9-7-5", "--batch", "3", "--threads", "1", "--seconds", "0.05", "--warmup",
                    "0", "--dtype", dtype);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("mlp:12-9-7-5 batch 3, " + dtype.toUpperCase() + ", "), r.out());
            assertTrue(r.out().contains("FMA peak (measured in this run"), r.out());
            assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "step work: %.3g GFLOP", FLOPS / 1e9)), r.out());
            Matcher m = STEP.matcher(r.out());
            int lines = 0;
            while (m.find()) {
                lines++;
                double median = Double.parseDouble(m.group(2)), p10 = Double.parseDouble(m.group(3));
                assertTrue(median > 0 && p10 > 0 && p10 <= median, r.out());
                assertTrue(Double.parseDouble(m.group(4)) <= median, r.out());
                assertTrue(Integer.parseInt(m.group(5)) >= 2 * StepComparison.BLOCK, r.out()); // at least 2 rounds
                // The step's GEMM work over the median step time.
                // Tolerance: the median is printed to 0.0005 ms, the rate to 3 digits.
                double gflops = FLOPS / (median * 1e-3) / 1e9;
                assertEquals(gflops, Double.parseDouble(m.group(7)), gflops * (0.006 + 0.0005 / median), r.out());
                assertEquals(dtype.toUpperCase(), m.group(9), r.out());
            }
            assertEquals(2, lines, r.out());
            assertTrue(!r.out().contains("warning"), r.out()); // the pool did not grow once warm
            Matcher ratio = RATIO.matcher(r.out());
            assertTrue(ratio.find(), r.out());
            for (int g = 1; g <= 2; g++) {
                double v = Double.parseDouble(ratio.group(g));
                assertTrue(Double.isFinite(v) && v > 0, r.out());
            }
        }
    }

    @Test
    void sameStepCountForBothOptimizers() {
        StepComparison.Result r = StepComparison.pathSgd("mlp:6-4-3", optlab.tensor.DType.F64, 2, 1, 0, 0.01);
        assertEquals(r.a().steps(), r.b().steps());
        assertEquals(0, r.a().steps() % StepComparison.BLOCK); // whole blocks, at least 2 rounds
        assertTrue(r.a().steps() >= 2 * StepComparison.BLOCK);
        assertEquals(r.b().medianMs() / r.a().medianMs(), r.medianRatio(), 1e-12);
    }

    @Test
    void quantileInterpolates() {
        assertEquals(2.5, StepComparison.quantile(new double[] {4, 1, 3, 2}, 0.5), 1e-12);
        assertEquals(1.3, StepComparison.quantile(new double[] {4, 1, 3, 2}, 0.1), 1e-12);
        assertEquals(7, StepComparison.quantile(new double[] {7}, 0.1), 1e-12);
    }

    @Test
    void helpListsOptionsAndBenchListsTheCommand() {
        Run h = run("--help");
        assertEquals(0, h.code());
        for (String s : new String[] {"--model", "--batch", "--threads", "--seconds", "--warmup", "--dtype",
            "mlp:784-4000-4000-10", "Path-SGD/SGD"}) {
            assertTrue(h.out().contains(s), s + " in help:\n" + h.out());
        }
        StringWriter list = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(list));
        assertEquals(0, cli.execute("bench", "--help"));
        assertTrue(list.toString().contains("path-step"), list.toString());
    }

    @Test
    void badOptionsExit2WithAMessage() {
        String[][] bad = {{"--batch", "0"}, {"--threads", "0"}, {"--seconds", "0"}, {"--warmup", "-1"},
            {"--dtype", "f16"}, {"--batch", "x"}, {"--nope"}, {"--model", "mlp:bogus"},
            {"--model", "mlp:6-4-3,act=gelu", "--seconds", "0.01"}};
        for (String[] args : bad) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(!r.err().isBlank(), String.join(" ", args));
        }
        assertTrue(run("--dtype", "f16").err().contains("--dtype takes f32 or f64"));
    }
}
