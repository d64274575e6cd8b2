package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optlab train --backend cuda}: one sentence naming CUDA where CUDA is absent, and a full training run through
 * the gcc-built CUDA stand-in (tensor-vector's test resources) that matches the CPU run. Ordered: the CUDA libraries
 * load once per JVM, so the no-CUDA case runs before the stand-in is installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainCudaCommandTest {
    @TempDir
    Path tmp;

    private static final String[] RUN = {"train", "--model", "mlp:8-16-3", "--optimizer", "sgd:lr=0.1,momentum=0.9",
        "--batch", "16", "--steps", "12", "--eval-every", "6", "--no-plot"};

    private CliRun.Result train(String name, String... extra) throws IOException {
        String data = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 96, \"test\": 48}";
        Path config = tmp.resolve(name + ".json");
        Files.writeString(config, "{\"data\": " + data + "}");
        List<String> args = new java.util.ArrayList<>(List.of(RUN));
        args.add(1, config.toString());
        args.addAll(List.of("--out", tmp.resolve(name).toString(), "--threads", "1"));
        for (int i = 0; i < extra.length; i++) {
            int at = args.indexOf(extra[i]);
            if (at > 0 && extra[i].startsWith("--") && i + 1 < extra.length && at + 1 < args.size()
                    && !args.get(at + 1).startsWith("--")) {
                args.set(at + 1, extra[++i]); // overrides RUN's value
            } else {
                args.add(extra[i]);
            }
        }
        return CliRun.run(args);
    }

    @Test
    @Order(1)
    void withoutCudaOneSentenceAndNoStackTrace() throws Exception {
        // The CUDA libraries load once per JVM: once a test class has installed the stand-in, ask a fresh JVM.
        CliRun.Result r = System.getProperty("optlab.cuda.library") == null ? train("nocuda", "--backend", "cuda")
                : freshJvm("nocuda", "--backend", "cuda");
        assumeTrue(r.rc() != 0, "CUDA is present on this machine: nothing to refuse");
        String err = r.err().strip();
        assertEquals(1, r.rc(), err);
        assertEquals(1, err.lines().count(), "one line:\n" + err);
        assertTrue(err.startsWith("optlab train: CUDA is not available") && err.endsWith("."), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        assertEquals(2, train("badbackend", "--backend", "tpu").rc(), "an unknown backend is a config error");
    }

    @Test
    @Order(2)
    void refusesWhatTheDeviceCannotRunYetInOneSentence() throws IOException {
        CliRun.Result cnn = train("pathcnn", "--backend", "cuda", "--optimizer", "path-sgd:lr=0.01", "--model",
                "cnn:in=1x2x4,conv=2,fc=3,pool=avg");
        String err = cnn.err().strip();
        assertEquals(2, cnn.rc(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("--backend cuda does not run the optimizer path-sgd on cnn:"), err);
        assertTrue(err.contains("on a device Path-SGD runs on MLPs"), err);
        CliRun.Result probe = train("probe", "--backend", "cuda", "--probe", "hessian_top");
        assertEquals(2, probe.rc(), probe.err());
        assertTrue(probe.err().contains("does not run the hessian_top probe"), probe.err());
    }

    @Test
    @Order(3)
    void trainsThroughTheStandInLikeTheCpu() throws Exception {
        CliRun.Result cpu = train("cpu", "--save-to", tmp.resolve("cpu.safetensors").toString());
        assertEquals(0, cpu.rc(), cpu.err());
        CudaStandInLibrary.install();
        CliRun.Result cuda = train("cuda", "--backend", "cuda", "--save-to", tmp.resolve("cuda.safetensors").toString(),
                "--checkpoint-every", "5");
        assertEquals(0, cuda.rc(), cuda.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(tmp.resolve("cpu/summary.json").toFile());
        JsonNode b = json.readTree(tmp.resolve("cuda/summary.json").toFile());
        assertTrue(b.toString().contains("cuda: device 0"), "the summary records the backend: " + b);
        assertEquals(fieldNames(a), fieldNames(b), "the summaries have the same fields");
        // Tolerance: the stand-in's GEMM sums in double, the CPU's in float FMAs, so logits differ by float rounding
        // (~1e-7 relative) and the losses of 12 steps by a few ulps of float; 1e-4 relative is far above that and far
        // below any real difference. The update itself is bitwise the CPU's (optim's CudaUpdateTest).
        for (String file : List.of("steps.csv", "evals.csv")) {
            List<String> rowsCpu = Files.readAllLines(tmp.resolve("cpu/" + file));
            List<String> rowsCuda = Files.readAllLines(tmp.resolve("cuda/" + file));
            assertEquals(rowsCpu.getFirst(), rowsCuda.getFirst(), file + " has the same columns");
            assertEquals(rowsCpu.size(), rowsCuda.size(), file);
            for (int i = 1; i < rowsCpu.size(); i++) {
                double lossCpu = Double.parseDouble(rowsCpu.get(i).split(",")[file.equals("steps.csv") ? 1 : 2]);
                double lossCuda = Double.parseDouble(rowsCuda.get(i).split(",")[file.equals("steps.csv") ? 1 : 2]);
                assertEquals(lossCpu, lossCuda, 1e-4 * Math.abs(lossCpu), file + " row " + i + ": " + rowsCuda.get(i));
            }
        }
        List<String> stepsCuda = Files.readAllLines(tmp.resolve("cuda/steps.csv"));
        assertNotEquals(stepsCuda.get(1), stepsCuda.get(stepsCuda.size() - 1), "the loss moves");
        assertEquals(a.get("status").asText(), b.get("status").asText());
        assertEquals(a.at("/final/path_norm").asDouble(), b.at("/final/path_norm").asDouble(),
                1e-4 * a.at("/final/path_norm").asDouble(), "path_norm reads a host copy of the device weights");
        // The weights file: same tensors, same values up to the same rounding.
        try (optlab.tensor.Scope scope = optlab.tensor.Scope.open()) {
            var wc = optlab.models.io.SafeTensors.read(tmp.resolve("cpu.safetensors"), scope);
            var wg = optlab.models.io.SafeTensors.read(tmp.resolve("cuda.safetensors"), scope);
            assertEquals(wc.keySet(), wg.keySet());
            for (String k : wc.keySet()) {
                double[] x = wc.get(k).toDoubleArray(), y = wg.get(k).toDoubleArray();
                assertEquals(x.length, y.length, k);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i], y[i], 1e-4 * (1 + Math.abs(x[i])), k + "[" + i + "]");
                }
            }
        }
    }

    @Test
    @Order(4)
    void aStepKeepsItsDataOnTheDevice() throws Throwable {
        CudaStandInLibrary.install();
        long t0 = CudaStandInLibrary.transfers();
        assertEquals(0, train("short", "--backend", "cuda", "--steps", "12", "--eval-every", "6").rc());
        long t1 = CudaStandInLibrary.transfers();
        assertEquals(0, train("long", "--backend", "cuda", "--steps", "36", "--eval-every", "18",
                "--optimizer", "adamw:lr=1e-2,weight_decay=0.1;no_decay=bias").rc());
        long t2 = CudaStandInLibrary.transfers();
        // Both runs evaluate 3 times, so the difference is 24 steps: per step the batch goes up (x, y) and the loss
        // comes back, once (the cross-entropy leaves it on the device); AdamW places one state buffer more than SGD's
        // momentum, once. Staging every operand of every op would move dozens per step.
        long extra = (t2 - t1) - (t1 - t0);
        assertTrue(extra <= 24 * 3 + 1, "host-device copies for 24 more steps: " + extra);
    }

    /**
     * Batch norm updates its running statistics on the device: a ResNet step moves no more than an MLP's three
     * buffers (x and y up, the loss back); copying each layer's statistics to the host and back moved eight more per
     * layer and step.
     */
    @Test
    @Order(5)
    void batchNormKeepsItsRunningStatisticsOnTheDevice() throws Throwable {
        Path config = fashionMnist("bn-transfers");
        long[] moved = new long[2];
        int k = 0;
        for (int steps : new int[] {4, 12}) {
            long before = CudaStandInLibrary.transfers();
            CliRun.Result r = run(new String[] {"train", config.toString(), "--model", "resnet:blocks=1,width=4,classes=10,in=1",
                "--optimizer", "sgd:lr=0.05,momentum=0.9", "--batch", "16", "--steps", String.valueOf(steps),
                "--eval-every", "100", "--no-plot", "--threads", "1", "--backend", "cuda"},
                    "--out", tmp.resolve("bn-transfers-" + steps).toString());
            assertEquals(0, r.rc(), r.err());
            moved[k++] = CudaStandInLibrary.transfers() - before;
        }
        assertTrue(moved[1] - moved[0] <= 8 * 3, "host-device copies for 8 more ResNet steps: " + (moved[1] - moved[0]));
    }

    @Test
    @Order(5)
    void convolutionPoolingAndBatchNormTrainOnTheDeviceLikeTheCpu() throws Exception {
        for (String model : List.of("cnn:in=1x28x28,conv=4-4,fc=8,pool=max", "resnet:blocks=1,width=4,classes=10,in=1")) {
            String name = model.substring(0, model.indexOf(':'));
            Path config = fashionMnist(name);
            String[] common = {"train", config.toString(), "--model", model, "--optimizer", "sgd:lr=0.05,momentum=0.9",
                "--batch", "16", "--steps", "4", "--eval-every", "4", "--no-plot", "--threads", "1"};
            CliRun.Result cpu = run(common, "--out", tmp.resolve(name + "-cpu").toString());
            assertEquals(0, cpu.rc(), cpu.err());
            CliRun.Result cuda = run(common, "--out", tmp.resolve(name + "-cuda").toString(), "--backend", "cuda");
            assertEquals(0, cuda.rc(), cuda.err());
            List<String> a = Files.readAllLines(tmp.resolve(name + "-cpu/steps.csv"));
            List<String> b = Files.readAllLines(tmp.resolve(name + "-cuda/steps.csv"));
            assertEquals(a.size(), b.size());
            for (int i = 1; i < a.size(); i++) {
                double x = Double.parseDouble(a.get(i).split(",")[1]), y = Double.parseDouble(b.get(i).split(",")[1]);
                // The CPU's direct convolution sums in float in another order than the lowering: 1e-4 relative.
                assertEquals(x, y, 1e-4 * Math.abs(x), model + " step " + i);
            }
        }
    }

    @Test
    @Order(6)
    void distanceNetworksAndGradientNormsOnTheDeviceLikeTheCpu() throws Exception {
        CudaStandInLibrary.install();
        for (String model : List.of("distance:8-16-3", "rbf:8-12-3", "mlp-distance:8-16-3")) {
            String name = model.substring(0, model.indexOf(':'));
            CliRun.Result cpu = train(name + "-cpu", "--model", model, "--optimizer", "adam:lr=0.01", "--probe", "grad_norms:every=3");
            assertEquals(0, cpu.rc(), cpu.err());
            CliRun.Result cuda = train(name + "-cuda", "--model", model, "--optimizer", "adam:lr=0.01", "--probe",
                    "grad_norms:every=3", "--backend", "cuda");
            assertEquals(0, cuda.rc(), cuda.err());
            for (String file : List.of("steps.csv", "grad_norms.csv")) {
                List<String> a = Files.readAllLines(tmp.resolve(name + "-cpu/" + file));
                List<String> b = Files.readAllLines(tmp.resolve(name + "-cuda/" + file));
                assertEquals(a.getFirst(), b.getFirst(), file);
                assertEquals(a.size(), b.size(), file);
                for (int i = 1; i < a.size(); i++) {
                    String[] x = a.get(i).split(","), y = b.get(i).split(",");
                    int from = file.equals("steps.csv") ? 1 : 2, to = file.equals("steps.csv") ? 2 : x.length;
                    for (int k = from; k < to; k++) {
                        double u = Double.parseDouble(x[k]), v = Double.parseDouble(y[k]);
                        assertEquals(u, v, 1e-4 * Math.abs(u) + 1e-7, model + " " + file + " row " + i + " column " + k);
                    }
                }
            }
        }
    }

    @Test
    @Order(7)
    void pathSgdOnAnMlpTrainsOnTheDeviceLikeTheCpu() throws Exception {
        CudaStandInLibrary.install();
        String[] args = {"--model", "mlp:8-16-16-3", "--optimizer", "path-sgd:lr=0.01", "--init", "unbalanced"};
        CliRun.Result cpu = train("psgd-cpu", args);
        assertEquals(0, cpu.rc(), cpu.err());
        String[] dev = java.util.Arrays.copyOf(args, args.length + 2);
        dev[args.length] = "--backend";
        dev[args.length + 1] = "cuda";
        CliRun.Result cuda = train("psgd-cuda", dev);
        assertEquals(0, cuda.rc(), cuda.err());
        List<String> a = Files.readAllLines(tmp.resolve("psgd-cpu/steps.csv"));
        List<String> b = Files.readAllLines(tmp.resolve("psgd-cuda/steps.csv"));
        assertEquals(a.size(), b.size());
        for (int i = 1; i < a.size(); i++) {
            double x = Double.parseDouble(a.get(i).split(",")[1]), y = Double.parseDouble(b.get(i).split(",")[1]);
            assertEquals(x, y, 1e-4 * Math.abs(x), "step " + i); // float rounding of GEMMs and of the κ passes
        }
        assertNotEquals(b.get(1), b.get(b.size() - 1), "the loss moves");
    }

    /**
     * The gradient-flow integrators train on the device like the CPU: rk4 (three oracle calls per step at trial points
     * on the step's batch), rk23 (adaptive, its error norm summed on the device) and ab3 with momentum (past gradients
     * in saved device buffers). The optimizer's passes give the CPU's bits (rk23's norm to float precision, optim's
     * CudaFlowTest); what differs is the stand-in's GEMM, which sums in double where the CPU sums in float FMAs, so
     * losses agree to float rounding over 12 steps: 1e-4 relative, as for SGD above. The gradient count must be the
     * same: four per rk4 step, and rk23's accepted and rejected tries alike.
     */
    @Test
    @Order(8)
    void gradientFlowIntegratorsTrainOnTheDeviceLikeTheCpu() throws Throwable {
        CudaStandInLibrary.install();
        List<Long> transfers = new java.util.ArrayList<>();
        for (String spec : List.of("rk4:lr=0.2", "rk23:lr=0.5,rtol=1e-2", "ab3:lr=0.1,momentum=0.9,weight_decay=1e-3")) {
            String name = spec.substring(0, spec.indexOf(':'));
            CliRun.Result cpu = train(name + "-cpu", "--optimizer", spec);
            assertEquals(0, cpu.rc(), cpu.err());
            long t0 = CudaStandInLibrary.transfers();
            CliRun.Result cuda = train(name + "-cuda", "--optimizer", spec, "--backend", "cuda");
            assertEquals(0, cuda.rc(), cuda.err());
            transfers.add(CudaStandInLibrary.transfers() - t0);
            List<String> a = Files.readAllLines(tmp.resolve(name + "-cpu/steps.csv"));
            List<String> b = Files.readAllLines(tmp.resolve(name + "-cuda/steps.csv"));
            assertEquals(a.getFirst(), b.getFirst(), "steps.csv columns");
            int evals = List.of(a.getFirst().split(",")).indexOf("grad_evals");
            assertTrue(evals > 0, "integrator runs log the gradient count: " + a.getFirst());
            assertEquals(13, a.size(), spec + ": 12 steps");
            assertEquals(a.size(), b.size(), spec);
            for (int i = 1; i < a.size(); i++) {
                String[] x = a.get(i).split(","), y = b.get(i).split(",");
                double lossCpu = Double.parseDouble(x[1]), lossCuda = Double.parseDouble(y[1]);
                assertEquals(lossCpu, lossCuda, 1e-4 * Math.abs(lossCpu), spec + " step " + i + ": " + b.get(i));
                assertEquals(x[evals], y[evals], spec + " gradient evaluations by step " + i);
            }
            if (name.equals("rk4")) {
                assertEquals("48", a.getLast().split(",")[evals], "rk4: four gradients per step");
            }
            assertNotEquals(b.get(1).split(",")[1], b.getLast().split(",")[1], spec + ": the loss moves");
        }
        // rk4's 36 oracle calls stay on the device: each moves its batch up (x, y) and its row losses and loss back,
        // never the parameter or gradient block (ab3, one gradient per step, places three state buffers more).
        long extra = transfers.get(0) - transfers.get(2);
        assertTrue(extra <= 36 * 4, "host-device copies of rk4's 36 oracle calls: " + extra);
    }

    /**
     * heun on a ResNet with batch norm on the device: the oracle's second forward at the trial point must leave the
     * running statistics as the step's own forward left them (ModelOracle restores them from device copies), so the
     * evaluations, which normalize with those statistics, match the CPU run's; tolerance as for the CNNs above.
     */
    @Test
    @Order(9)
    void anOracleRuleOnABatchNormNetworkKeepsItsRunningStatisticsOnTheDevice() throws Exception {
        Path config = fashionMnist("bn");
        String[] common = {"train", config.toString(), "--model", "resnet:blocks=1,width=4,classes=10,in=1", "--optimizer",
            "heun:lr=0.05", "--batch", "16", "--steps", "4", "--eval-every", "2", "--no-plot", "--threads", "1"};
        CliRun.Result cpu = run(common, "--out", tmp.resolve("bn-cpu").toString());
        assertEquals(0, cpu.rc(), cpu.err());
        CliRun.Result cuda = run(common, "--out", tmp.resolve("bn-cuda").toString(), "--backend", "cuda");
        assertEquals(0, cuda.rc(), cuda.err());
        for (String file : List.of("steps.csv", "evals.csv")) {
            List<String> a = Files.readAllLines(tmp.resolve("bn-cpu/" + file));
            List<String> b = Files.readAllLines(tmp.resolve("bn-cuda/" + file));
            assertEquals(a.getFirst(), b.getFirst(), file);
            assertEquals(a.size(), b.size(), file);
            int col = file.equals("steps.csv") ? 1 : 2;
            for (int i = 1; i < a.size(); i++) {
                double x = Double.parseDouble(a.get(i).split(",")[col]), y = Double.parseDouble(b.get(i).split(",")[col]);
                assertEquals(x, y, 1e-4 * Math.abs(x), file + " row " + i + ": " + b.get(i));
            }
        }
    }

    /**
     * A config reading 64 training and 32 test images of Fashion-MNIST (the test is skipped where it is not
     * installed), with the stand-in installed: the runs of the convolutional and batch-norm tests.
     */
    private Path fashionMnist(String name) throws Exception {
        CudaStandInLibrary.installWithFashionMnist();
        Path config = tmp.resolve(name + ".json");
        Files.writeString(config, "{\"data\": {\"source\": \"fashion-mnist\", \"train\": 64, \"test\": 32}}");
        return config;
    }

    private CliRun.Result run(String[] common, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(common));
        args.addAll(List.of(extra));
        return CliRun.run(args);
    }

    /** The training run of {@link #train} in a new JVM on this one's module path (no CUDA library chosen). */
    private CliRun.Result freshJvm(String name, String... extra) throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        assumeTrue(modulePath != null, "tests do not run on the module path: no fresh JVM to ask");
        String data = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 96, \"test\": 48}";
        Path config = tmp.resolve(name + ".json");
        Files.writeString(config, "{\"data\": " + data + "}");
        List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED,optlab.tensor,optlab.experiments",
                "-p", modulePath, "-m", "optlab.experiments/optlab.experiments.cli.Main"));
        cmd.addAll(List.of(RUN));
        cmd.add(1 + cmd.indexOf("optlab.experiments/optlab.experiments.cli.Main") + 1, config.toString());
        cmd.addAll(List.of("--out", tmp.resolve(name).toString(), "--threads", "1"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("CUDA_HOME");
        Path out = tmp.resolve(name + ".out"), err = tmp.resolve(name + ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the fresh JVM did not finish");
        String errText = Files.readString(err).lines().filter(l -> !l.startsWith("WARNING:"))
                .collect(java.util.stream.Collectors.joining("\n"));
        return new CliRun.Result(p.exitValue(), Files.readString(out), errText);
    }

    private static java.util.Set<String> fieldNames(JsonNode n) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
