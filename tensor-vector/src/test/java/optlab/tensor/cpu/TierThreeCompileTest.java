package optlab.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import optlab.tensor.simd.Simd;

/**
 * The dot-product GEMM compiles with C1 at tier 3. A method C1 gives up on ("out of virtual registers":
 * the Vector API's force-inlined calls make big bodies) can stay at tier 2 for the rest of the run,
 * never profiled, so C2 never compiles it, and its vectors are then objects: the skinny products ran
 * 20-40× slower for whole runs (issue 3's slow mode). A child JVM compiles every GemmDot method at its
 * first call, at tier 3 only, and reports what it skipped; it runs at this JVM's vector width.
 */
class TierThreeCompileTest {
    @Test
    void everyGemmDotMethodCompilesAtTierThree() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector",
                "-Xcomp", "-XX:TieredStopAtLevel=3", "-XX:CompileCommand=quiet",
                "-XX:CompileOnly=optlab.tensor.cpu.GemmDot*::*", "-XX:+PrintCompilation",
                "-D" + Simd.PROPERTY + "=" + Simd.BITS,
                "-cp", location(CpuBackend.class) + java.io.File.pathSeparator + location(TierThreeCompileTest.class),
                Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("probe done"), out);
        for (String t : new String[] {"F32", "F64"}) {
            assertTrue(out.lines().anyMatch(l -> l.contains(" 3 ") && l.contains("GemmDot" + t + "::chunk")),
                    "no tier-3 compile of GemmDot" + t + "::chunk in:\n" + out);
        }
        List<String> skipped = out.lines().filter(l -> l.contains("SKIPPED") || l.contains("not compilable")).toList();
        assertTrue(skipped.isEmpty(), "C1 skipped:\n" + String.join("\n", skipped));
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The child (no test-library classes): skinny products that take GemmDot in both dtypes, K with a tail and over two chunks. */
    static final class Probe {
        public static void main(String[] args) {
            try (CpuBackend cpu = new CpuBackend(1); Scope s = Scope.open()) {
                for (DType dtype : DType.values()) {
                    int k = (dtype == DType.F32 ? GemmDotF32.KB : GemmDotF64.KB) + 3;
                    SplittableRandom rng = new SplittableRandom(1);
                    Tensor a = s.uniform(dtype, rng, -1, 1, 9, k), b = s.uniform(dtype, rng, -1, 1, 5, k);
                    Tensor c = s.zeros(dtype, 9, 5);
                    cpu.gemm(1, a, b.mT(), 0, c);
                }
            }
            System.out.println("probe done");
        }
    }
}
