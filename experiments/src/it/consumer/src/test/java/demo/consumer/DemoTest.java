package demo.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import optlab.experiments.run.RunResult;
import optlab.experiments.run.Runs;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library as a user meets it, in each of the four launches named by consumer.expect (see the pom). */
class DemoTest {
    static final String EXPECT = System.getProperty("consumer.expect", "");
    static final boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    @Test
    void runsWhereThePomSays() {
        assertEquals(EXPECT.equals("module-path"), Demo.class.getModule().isNamed(), EXPECT);
        assertEquals(!EXPECT.startsWith("class-path-"), VECTOR_MODULE, EXPECT);
    }

    @Test
    void benchmarkOnlyDependenciesStayOut() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.openjdk.jmh.runner.Runner"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("joptsimple.OptionParser"));
    }

    @Test
    void trainsAModelByHandOnTheReferenceKernels() {
        try (Backend ref = Backends.reference()) {
            double[] loss = Demo.trainByHand(ref, 300);
            assertTrue(loss[1] < 0.1 * loss[0], "loss " + loss[0] + " -> " + loss[1]);
        }
    }

    @Test
    void trainsAModelByHandOnTheCpuBackend() {
        if (EXPECT.equals("class-path-no-vector")) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Backends.cpu(1));
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one sentence: " + e.getMessage());
            return;
        }
        try (Backend cpu = Backends.cpu(2)) {
            double[] loss = Demo.trainByHand(cpu, 300);
            assertTrue(loss[1] < 0.1 * loss[0], "loss " + loss[0] + " -> " + loss[1]);
        }
    }

    @Test
    void runsAConfigToResultsAndPlots(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        if (EXPECT.equals("class-path-no-vector")) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Demo.run(out));
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
            return;
        }
        Runs.Outcome done = Demo.run(out);
        RunResult r = done.result();
        assertEquals(RunResult.Status.COMPLETED, r.status());
        assertEquals(120, r.stepsDone());
        assertTrue(r.test().accuracy() > 0.5, "test accuracy " + r.test().accuracy());
        assertTrue(Files.size(out.resolve("summary.json")) > 0);
        assertTrue(Files.readString(out.resolve("steps.csv")).lines().count() > 100);
        assertEquals(2, done.plots().size(), done.plots().toString());
        for (Path p : done.plots()) {
            assertTrue(Files.size(p) > 1000, p.toString());
        }
    }
}
