package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * Forks from the jlink image need extra reads/opens (our modules linked in, JMH unnamed); forks from
 * jars must not get them (there the fork runs our classes unnamed). The image path itself needs the
 * built image: {@code ./optlab bench gemm --quick --shapes sq64 --threads 1} exercises it.
 */
class JmhLauncherImageTest {

    @Test
    void testsRunFromJarsSoForksGetNoImageFlags() {
        assertFalse(JmhLauncher.linkedInImage(), "tests run from target/classes, not from a jlink image");
        assertFalse(JmhLauncher.forkJvmArgs().contains("--add-reads"), JmhLauncher.forkJvmArgs().toString());
    }
}
