package optlab.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forks started from the module path: class path assembly (module path, then class path, no duplicates), JVM flags, and one tiny real JMH run. */
class JmhLauncherTest {

    @Test
    void forkClassPathExpandsJarDirectoriesAndKeepsExplodedModules(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.createFile(lib.resolve("b.jar"));
        Files.createFile(lib.resolve("a.jar"));
        Files.createFile(lib.resolve("notes.txt"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path jar = Files.createFile(dir.resolve("app.jar"));
        String savedModulePath = System.getProperty("jdk.module.path");
        String savedClassPath = System.getProperty("java.class.path");
        System.setProperty("jdk.module.path", String.join(File.pathSeparator, jar.toString(), lib.toString(), classes.toString()));
        System.setProperty("java.class.path", String.join(File.pathSeparator, "extra.jar", jar.toString()));
        try {
            assertEquals(String.join(File.pathSeparator, jar.toString(), lib.resolve("a.jar").toString(),
                    lib.resolve("b.jar").toString(), classes.toString(), "extra.jar"), JmhLauncher.forkClassPath());
        } finally {
            restore("jdk.module.path", savedModulePath);
            restore("java.class.path", savedClassPath);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void forksGetTheVectorModuleNativeAccessAndOptlabProperties() {
        System.setProperty("optlab.test.flag", "on");
        try {
            List<String> args = JmhLauncher.forkJvmArgs();
            assertTrue(args.containsAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED")),
                    args.toString());
            assertTrue(args.contains("-Doptlab.test.flag=on"), args.toString());
        } finally {
            System.clearProperty("optlab.test.flag");
        }
    }

    /**
     * One fork of a 64 KB memory copy, ~0.3 s of measuring: proves forks start and report from this
     * JVM. The figure does not matter, so the pom lets it ignore JMH's machine-wide lock
     * (-Djmh.ignoreLock=true: another JMH run, e.g. a parallel build, would otherwise fail it).
     */
    @Test
    void runsOneTinyForkAndReturnsItsScore() {
        JmhLauncher.Plan plan = new JmhLauncher.Plan(1, 1, 100, 2, 100);
        ForkScores scores = JmhLauncher.run(plan, OpsBenchmark.class, "run",
                Map.of("op", "MEMCPY", "dtype", "F32", "threads", "1", "rows", "128", "cols", "128"));
        assertEquals(1, scores.perFork().size());
        assertTrue(scores.median() > 1000, "copies of 64 KB per second: " + scores.median());
    }
}
