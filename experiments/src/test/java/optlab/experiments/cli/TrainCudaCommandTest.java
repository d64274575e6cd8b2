package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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

    private record Result(int rc, String out, String err) {
    }

    private Result train(String name, String... extra) throws IOException {
        String data = "{\"source\": \"gaussian-mixture\", \"classes\": 3, \"dim\": 8, \"train\": 96, \"test\": 48}";
        Path config = tmp.resolve(name + ".json");
        Files.writeString(config, "{\"data\": " + data + "}");
        List<String> args = new java.util.ArrayList<>(List.of(RUN));
        args.add(1, config.toString());
        args.addAll(List.of("--out", tmp.resolve(name).toString(), "--threads", "1"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int rc = new CommandLine(new Main()).execute(args.toArray(String[]::new));
            return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    @Order(1)
    void withoutCudaOneSentenceAndNoStackTrace() throws IOException {
        assumeTrue(System.getProperty("optlab.cuda.library") == null, "the CUDA stand-in is already installed");
        Result r = train("nocuda", "--backend", "cuda");
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
    void trainsThroughTheStandInLikeTheCpu() throws Exception {
        Path standIn = buildStandIn();
        Result cpu = train("cpu");
        assertEquals(0, cpu.rc(), cpu.err());
        System.setProperty("optlab.cuda.library", standIn.toString());
        Result cuda = train("cuda", "--backend", "cuda");
        assertEquals(0, cuda.rc(), cuda.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(tmp.resolve("cpu/summary.json").toFile());
        JsonNode b = json.readTree(tmp.resolve("cuda/summary.json").toFile());
        assertTrue(b.toString().contains("cuda: device 0"), "the summary records the backend: " + b);
        List<String> stepsCpu = Files.readAllLines(tmp.resolve("cpu/steps.csv"));
        List<String> stepsCuda = Files.readAllLines(tmp.resolve("cuda/steps.csv"));
        assertEquals(stepsCpu.size(), stepsCuda.size());
        for (int i = 1; i < stepsCpu.size(); i++) {
            double lossCpu = Double.parseDouble(stepsCpu.get(i).split(",")[1]);
            double lossCuda = Double.parseDouble(stepsCuda.get(i).split(",")[1]);
            assertEquals(lossCpu, lossCuda, 1e-4 * Math.abs(lossCpu), "step " + i + ": " + stepsCuda.get(i));
        }
        assertNotEquals(stepsCuda.get(1), stepsCuda.get(stepsCuda.size() - 1), "the loss moves");
        assertEquals(a.get("status").asText(), b.get("status").asText());
    }

    /** Builds tensor-vector's CUDA stand-in with gcc, or skips. */
    private static Path buildStandIn() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path source = root.resolve("tensor-vector/src/test/resources/cuda-standin/standin.c");
        Path kernels = root.resolve("tensor-vector/src/main/resources/optlab/tensor/cuda");
        Path out = Path.of("target/cuda-standin/libcudastandin.so").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-ffp-contract=off", "-I", kernels.toString(), source.toString(), "-o",
                    out.toString(), "-lm", "-ldl").redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not available: skipping the CUDA stand-in run (" + e.getMessage() + ")");
            throw e;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed:\n" + log);
        return out;
    }
}
