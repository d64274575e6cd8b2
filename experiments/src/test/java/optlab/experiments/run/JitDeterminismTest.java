package optlab.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same config and seed ⇒ bitwise the same losses, whatever the JIT has compiled yet. The same tiny run
 * (4×4 one-channel images, batch 4, 20 steps) trains in child JVMs that run interpreted only (-Xint), with C1
 * only (-XX:TieredStopAtLevel=1) and normally (C2 compiles hot kernels partway through the run), and
 * their steps.csv loss columns and evals.csv must agree to the bit (losses are written as the shortest
 * text that reads back to the same value). A ResNet covers conv, batch norm and pooling; a ViT covers
 * matmul, softmax attention and layer norm; both end in cross-entropy. A kernel whose result depends on
 * the JIT state breaks this: reduceLanes(ADD) sums lanes in a different order interpreted than in C2, and
 * lanewise(EXP) is SVML in C2 but Math.exp interpreted (hence Lanes*.sum and Exp*.exp in the kernels).
 */
class JitDeterminismTest {
    static final int TRAIN = 48, TEST = 16, SIDE = 4, STEPS = 20, VIT_STEPS = 8;
    /**
     * Interpreted only; C1 only; the default tiered JIT (whose C2 hardly starts in so short a run); and C2
     * alone from the 200th call (-Xbatch: compiled when the threshold is hit), so that interpreted and
     * C2-compiled kernels mix within the run. With reduceLanes(ADD) the last mode's ViT losses differed
     * from -Xint in the 2nd to 17th significant digit.
     */
    static final String[] MODES = {"-Xint", "-XX:TieredStopAtLevel=1", "-XX:+TieredCompilation",
            "-XX:-TieredCompilation -XX:CompileThreshold=200 -Xbatch"};

    @TempDir
    Path tmp;

    @Test
    void resnetLossesAreBitwiseTheSameInEveryJitState() throws Exception {
        // batch norm reduces over 4·4·4 = 64 values per channel, the convolutions span whole vectors
        sameInEveryJitState("resnet:blocks=1,width=4,in=1", "f32", STEPS);
    }

    @Test
    void vitLossesAreBitwiseTheSameInEveryJitState() throws Exception {
        // 16 tokens of width 16: softmax rows and layer norms span two or more F64 vectors. Fewer steps:
        // interpreted, the lane-wise exp makes a ViT step about 4× slower than a ResNet step here.
        sameInEveryJitState("vit:image=4,patch=1,dim=16,depth=1,heads=1,mlp=2,in=1", "f64", VIT_STEPS);
    }

    void sameInEveryJitState(String model, String dtype, int steps) throws Exception {
        Path data = idxFolder();
        List<String> reference = null;
        String referenceMode = null;
        for (String mode : MODES) {
            Path out = tmp.resolve(model.substring(0, 3) + mode.replaceAll("[^A-Za-z0-9]", ""));
            long t0 = System.nanoTime();
            train(List.of(mode.split(" ")), model, dtype, steps, data, out);
            System.out.printf("%s %s: %.1f s%n", model, mode, (System.nanoTime() - t0) * 1e-9);
            List<String> losses = lossColumn(out.resolve("steps.csv"));
            assertEquals(steps, losses.size(), mode + ": " + losses);
            losses.addAll(Files.readAllLines(out.resolve("evals.csv")));
            if (reference == null) {
                reference = losses;
                referenceMode = mode;
            } else {
                assertEquals(reference, losses, model + ": " + mode + " differs from " + referenceMode);
            }
        }
        // The run learnt something, so the losses compared are not a constant.
        assertTrue(!reference.get(0).equals(reference.get(steps - 1)), reference.toString());
    }

    /** Runs {@code optlab train} in a child JVM with this JVM's module path and flags, plus {@code mode}. */
    static void train(List<String> mode, String model, String dtype, int steps, Path data, Path out) throws Exception {
        List<String> jvm = new ArrayList<>(mode);
        jvm.add("-Xss4m");
        List<String> cmd = optlab(jvm);
        // -Xint is slow (about 0.2 s per step here): one evaluation, at the end, on a few samples
        Path config = Files.createDirectories(out).resolve("run.json");
        Files.writeString(config, """
                {"model": "%s", "data": "mnist:%s", "dtype": "%s", "optimizer": "sgd:lr=0.05,momentum=0.9",
                 "batch_size": 4, "steps": %d, "eval": {"every_steps": %d, "at_start": false, "train_samples": 16},
                 "seed": 5, "threads": 2}
                """.formatted(model, data, dtype, steps, steps));
        cmd.addAll(List.of("train", config.toString(), "--no-plot", "--out", out.toString()));
        Path log = out.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mode + ": child JVM timed out; " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), mode + ": " + Files.readString(log));
    }

    /** The command line of {@code optlab} in a child JVM with this JVM's module path and flags, plus {@code jvm}. */
    static List<String> optlab(List<String> jvm) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED,optlab.tensor,optlab.experiments"));
        String vector = System.getProperty("optlab.vector");
        if (vector != null) {
            cmd.add("-Doptlab.vector=" + vector);
        }
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            cmd.addAll(List.of("--module-path", modulePath, "-m", "optlab.experiments/optlab.experiments.cli.Main"));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "optlab.experiments.cli.Main"));
        }
        return cmd;
    }

    static List<String> lossColumn(Path stepsCsv) throws IOException {
        List<String> lines = Files.readAllLines(stepsCsv);
        assertEquals("step,loss,lr,seconds", lines.get(0));
        List<String> losses = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            losses.add(line.split(",")[1]);
        }
        return losses;
    }

    /** An IDX folder (mnist:DIR) of random 8×8 images whose label is the brightest quadrant plus noise. */
    Path idxFolder() throws IOException {
        return idxFolder(tmp);
    }

    /** Small 4-class IDX image sets (TRAIN and TEST images of SIDE × SIDE) in tmp/idx. */
    static Path idxFolder(Path tmp) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("idx"));
        SplittableRandom r = new SplittableRandom(42);
        for (String part : new String[] {"train", "t10k"}) {
            int n = part.equals("train") ? TRAIN : TEST;
            byte[] pixels = new byte[n * SIDE * SIDE], labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int label = r.nextInt(4);
                labels[i] = (byte) label;
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        int quadrant = (y < SIDE / 2 ? 0 : 2) + (x < SIDE / 2 ? 0 : 1);
                        pixels[(i * SIDE + y) * SIDE + x] = (byte) (r.nextInt(128) + (quadrant == label ? 127 : 0));
                    }
                }
            }
            PathSgdTrainingTest.idx(d.resolve(part + "-images-idx3-ubyte"), pixels, n, SIDE, SIDE);
            PathSgdTrainingTest.idx(d.resolve(part + "-labels-idx1-ubyte"), labels, n);
        }
        return d;
    }
}
