package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import optlab.experiments.loop.Probe;
import optlab.experiments.loop.StepView;
import optlab.models.Model;
import optlab.models.io.SafeTensors;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Geometry runs ({@code "geometry"}): the second pass retraces the first bit for bit (MLP with dropout, ResNet with
 * BatchNorm), geometry.csv's rows equal RSI, EB, cos, loLR computed with plain double loops from weights saved
 * after 1, 2, 3 steps, and a re-run that strays fails the run loudly.
 */
class GeometryRunTest {
    static final String PREFIX = "step,dist,grad_norm,inner,rsi,eb,cos,lolr,lr";

    @TempDir
    Path tmp;

    ObjectNode config(String name, String extra) {
        ObjectNode root = RunConfig.readTree("""
                {"name": "%s", "model": "mlp:8-16-3", "data": %s, "batch_size": 16, "dtype": "f64",
                 "optimizer": {"name": "sgd", "lr": 0.1, "weight_decay": 0.01}, "steps": 3, "seed": 1, "threads": 2,
                 "eval": {"every_steps": 3}, "out": "%s"}
                """.formatted(name, TrainerTest.MIXTURE, path(tmp.resolve(name))));
        root.setAll(RunConfig.readTree(extra));
        return root;
    }

    static String path(Path p) {
        return p.toString().replace("\\", "\\\\");
    }

    static RunResult run(ObjectNode config, List<Probe> extra) throws IOException {
        return new Trainer(RunConfig.parse(config), new PrintStream(new ByteArrayOutputStream()), extra).run();
    }

    static double[] flat(Path safetensors) throws IOException {
        try (Scope s = Scope.open()) {
            Map<String, Tensor> m = SafeTensors.read(safetensors, s);
            List<Double> out = new ArrayList<>();
            for (Tensor t : m.values()) {
                for (long i = 0; i < t.numel(); i++) {
                    out.add(t.getFlat(i));
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double[] lin(double a, double[] x, double b, double[] y) {
        double[] o = new double[x.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = a * x[i] + b * y[i];
        }
        return o;
    }

    @Test
    void rowsEqualValuesComputedFromSavedWeights() throws IOException {
        // w_0 from a 1-step run's init (same seed, nothing trained: saved by a run of 1 step at lr 0)
        ObjectNode zero = config("w0", "{\"optimizer\": {\"name\": \"sgd\", \"lr\": 0.0}, \"steps\": 1}");
        zero.put("save_to", path(tmp.resolve("w0.safetensors")));
        run(zero, List.of());
        List<double[]> w = new ArrayList<>();
        w.add(flat(tmp.resolve("w0.safetensors")));
        for (int k = 1; k <= 3; k++) {
            ObjectNode c = config("w" + k, "{\"steps\": " + k + "}");
            c.put("save_to", path(tmp.resolve("w" + k + ".safetensors")));
            run(c, List.of());
            w.add(flat(tmp.resolve("w" + k + ".safetensors")));
        }
        ObjectNode g = config("geo", "{\"geometry\": {\"random_every\": 1}}");
        g.put("save_to", path(tmp.resolve("geo.safetensors")));
        RunResult r = run(g, List.of());
        assertEquals(RunResult.Status.COMPLETED, r.status());
        assertEquals(List.of(w.get(3)).getFirst().length, flat(tmp.resolve("geo.safetensors")).length);
        List<String> lines = Files.readAllLines(tmp.resolve("geo").resolve("geometry.csv"));
        assertTrue(lines.get(0).startsWith(PREFIX + ","), lines.get(0));
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(1 + 3, lines.size());
        double lr = 0.1, lambda = 0.01;
        double[] wStar = w.get(3);
        for (int t = 0; t < 3; t++) {
            // SGD with weight decay: w_{t+1} = w_t − lr (g + λ w_t), so g = (w_t − w_{t+1}) / lr − λ w_t
            double[] wt = w.get(t), u = lin(1, w.get(t + 1), -1, wt), delta = lin(1, wt, -1, wStar);
            double[] gHat = lin(-1 / lr, u, 0, u), gt = lin(1, gHat, -lambda, wt);
            double dd = dot(delta, delta), gd = dot(gt, delta), gg = dot(gt, gt);
            double hd = dot(gHat, delta), hh = dot(gHat, gHat), uu = dot(u, u);
            String[] cells = lines.get(t + 1).split(",", -1);
            java.util.function.ToDoubleFunction<String> cell = col -> Double.parseDouble(cells[header.indexOf(col)]);
            assertEquals(t, Integer.parseInt(cells[0]));
            close(Math.sqrt(dd), cell.applyAsDouble("dist"), "dist " + t);
            close(Math.sqrt(gg), cell.applyAsDouble("grad_norm"), "grad_norm " + t);
            close(gd, cell.applyAsDouble("inner"), "inner " + t);
            close(gd / dd, cell.applyAsDouble("rsi"), "rsi " + t);
            close(Math.sqrt(gg / dd), cell.applyAsDouble("eb"), "eb " + t);
            close(gd / Math.sqrt(gg * dd), cell.applyAsDouble("cos"), "cos " + t);
            close(gd / gg, cell.applyAsDouble("lolr"), "lolr " + t);
            assertEquals(lr, cell.applyAsDouble("lr"));
            close(Math.sqrt(uu), cell.applyAsDouble("update_norm"), "update_norm " + t);
            close(dot(u, delta), cell.applyAsDouble("update_inner"), "update_inner " + t);
            close(-dot(u, delta) / Math.sqrt(uu * dd), cell.applyAsDouble("update_cos"), "update_cos " + t);
            close(hd / dd, cell.applyAsDouble("rsi_wd"), "rsi_wd " + t);
            close(hd / Math.sqrt(hh * dd), cell.applyAsDouble("cos_wd"), "cos_wd " + t);
            // plain SGD: the update is −lr·ĝ, so its cosine is the decayed gradient's
            close(cell.applyAsDouble("cos_wd"), cell.applyAsDouble("update_cos"), "update_cos = cos_wd " + t);
            assertTrue(Math.abs(cell.applyAsDouble("rand_cos")) < 1, "rand_cos " + t);
        }
        JsonNode s = RunConfig.JSON.readTree(tmp.resolve("geo").resolve("summary.json").toFile());
        assertEquals("completed", s.path("status").asText());
        assertEquals(3, s.path("geometry").path("steps").asInt());
        assertTrue(s.path("geometry").has("frac_cos_positive"));
        assertEquals(0.01, s.path("config").path("geometry").isMissingNode() ? 0.01
                : s.path("geometry").path("weight_decay").asDouble());
    }

    @Test
    void updateColumnsOfAnOracleRuleMeasureTheStepsOwnGradient() throws IOException {
        // Heun's oracle writes its second stage's gradient over the gradient block during the update; the update
        // columns are measured after it, so the probe must keep g_t: its gradient columns equal the cheap mode's.
        String heun = "\"optimizer\": \"heun:lr=0.1,weight_decay=0.01\", \"steps\": 4";
        run(config("withUpdate", "{" + heun + ", \"geometry\": {\"update\": true, \"random_every\": 1}}"), List.of());
        run(config("noUpdate", "{" + heun + ", \"geometry\": {\"update\": false, \"random_every\": 1}}"), List.of());
        List<String> a = Files.readAllLines(tmp.resolve("withUpdate").resolve("geometry.csv"));
        List<String> b = Files.readAllLines(tmp.resolve("noUpdate").resolve("geometry.csv"));
        assertEquals(5, a.size());
        List<String> ha = List.of(a.get(0).split(",")), hb = List.of(b.get(0).split(","));
        for (int t = 1; t < a.size(); t++) {
            String[] ca = a.get(t).split(",", -1), cb = b.get(t).split(",", -1);
            for (String col : List.of("dist", "grad_norm", "inner", "rsi", "cos", "grad_norm_wd", "inner_wd", "rand_cos")) {
                assertEquals(cb[hb.indexOf(col)], ca[ha.indexOf(col)], col + " at step " + (t - 1));
            }
        }
    }

    static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-8 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void reRunRetracesAnMlpWithDropoutAndEveryGeometryProbeWrites() throws IOException {
        ObjectNode c = config("mlp", """
                {"model": "mlp:8-16-16-3,dropout=0.5", "dtype": "f32", "steps": 12, "eval": {"every_steps": 4},
                 "optimizer": "adam:lr=0.01,weight_decay=0.001",
                 "geometry": true, "probes": ["geometry_fixed:every=4,batches=3", "geometry_full:batch=32",
                 "geometry_layers:every=4", "straight_line:points=5"]}""");
        RunResult r = run(c, List.of());
        assertEquals(RunResult.Status.COMPLETED, r.status());
        Path dir = tmp.resolve("mlp");
        assertEquals(1 + 12, Files.readAllLines(dir.resolve("geometry.csv")).size());
        assertEquals(1 + 3 * (3 + 1), Files.readAllLines(dir.resolve("geometry_fixed.csv")).size());
        assertEquals(1 + 2, Files.readAllLines(dir.resolve("geometry_full.csv")).size()); // 96 samples / 16: epochs at 0, 6
        assertEquals(1 + 3 * 6, Files.readAllLines(dir.resolve("geometry_layers.csv")).size()); // 6 tensors
        List<String> line = Files.readAllLines(dir.resolve("straight_line.csv"));
        assertEquals(1 + 5, line.size());
        JsonNode s = RunConfig.JSON.readTree(dir.resolve("summary.json").toFile());
        assertTrue(s.path("straight_line").path("chord").asDouble() > 0);
        assertTrue(s.path("geometry").path("path_length").asDouble() >= s.path("straight_line").path("chord").asDouble());
    }

    @Test
    void pathSgdFromSavedWeightsInFileOrderRetraces() throws IOException {
        ObjectNode first = config("init", "{\"steps\": 2}");
        first.put("save_to", path(tmp.resolve("init.safetensors")));
        run(first, List.of());
        ObjectNode c = config("psgd", "{\"optimizer\": \"path-sgd:lr=0.01\", \"shuffle\": false, \"steps\": 8,"
                + " \"eval\": {\"every_steps\": 8}, \"geometry\": true}");
        c.putObject("init").put("from", path(tmp.resolve("init.safetensors")));
        RunResult r = run(c, List.of());
        assertEquals(RunResult.Status.COMPLETED, r.status());
        List<String> lines = Files.readAllLines(tmp.resolve("psgd").resolve("geometry.csv"));
        assertEquals(1 + 8, lines.size());
        assertTrue(lines.get(0).startsWith(PREFIX + ",loss,epoch,update_norm"), lines.get(0));
    }

    @Test
    void reRunRetracesAResNetWithBatchNorm() throws IOException {
        Path data = JitDeterminismTest.idxFolder(tmp);
        ObjectNode c = config("resnet", """
                {"model": "resnet:blocks=1,width=4,in=1", "dtype": "f32", "batch_size": 4, "steps": 8,
                 "optimizer": "sgd:lr=0.05,momentum=0.9", "eval": {"every_steps": 4, "train_samples": 16},
                 "geometry": true, "probes": ["geometry_layers:every=4"]}""");
        c.put("data", "mnist:" + data);
        RunResult r = run(c, List.of());
        assertEquals(RunResult.Status.COMPLETED, r.status());
        List<String> lines = Files.readAllLines(tmp.resolve("resnet").resolve("geometry.csv"));
        assertEquals(1 + 8, lines.size());
        assertTrue(lines.get(0).startsWith(PREFIX), lines.get(0));
    }

    @Test
    void aReRunThatStraysFailsTheRunLoudly() throws IOException {
        Probe nudge = new Probe() {
            @Override
            public String name() {
                return "nudge";
            }

            @Override
            public void afterUpdate(StepView s) {
                if (s.step() == 1) {
                    Tensor w = s.params();
                    w.setFlat(0, w.getFlat(0) + 1e-6); // what a nondeterministic kernel or probe would do
                }
            }
        };
        ObjectNode c = config("stray", "{\"geometry\": true}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(c, List.of(nudge)));
        assertTrue(e.getMessage().contains("did not retrace"), e.getMessage());
        Path dir = tmp.resolve("stray");
        JsonNode s = RunConfig.JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals("failed", s.path("status").asText());
        assertTrue(s.toString().contains("did not retrace"), s.toString());
        assertTrue(!Files.exists(dir.resolve("geometry.csv")));
    }

    @Test
    void probesThatNeedTheEndPointRequireTheGeometrySection() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RunConfig.parse(config("x", "{\"probes\": [\"geometry_layers\"]}")));
        assertTrue(e.getMessage().contains("geometry"), e.getMessage());
        assertThrows(ConfigException.class, () -> RunConfig.parse(config("x", "{\"probes\": [\"geometry\"]}")));
        assertThrows(ConfigException.class, () -> RunConfig.parse(config("x", "{\"geometry\": {\"every\": 2}}")));
        RunConfig ok = RunConfig.parse(config("x", "{\"geometry\": {\"random_every\": 5}}"));
        assertEquals(ok, RunConfig.parse(ok.toJson()));
    }
}
