package optlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import optlab.experiments.data.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fresh-machine path a user without root meets: Fashion-MNIST is missing and nothing may be installed, so
 * {@code optlab train} stops (exit 1) with the one command to run and installs nothing. Real, not mocked: the
 * command line in a child JVM, as user nobody ({@code setpriv}), in a mount namespace ({@code unshare -m}) where an
 * empty read-only tmpfs hides the dataset folder. Needs root to set that up; skipped, saying why, where it cannot.
 */
class MissingDatasetNonRootTest {
    private static final String NOBODY = "65534";

    @TempDir
    Path tmp;

    @Test
    void withoutRootTheRunStopsWithTheOneCommandToRun() throws Exception {
        assumeTrue(run(List.of("id", "-u")).out.trim().equals("0"), "needs root to make a mount namespace and drop to nobody");
        assumeTrue(run(List.of("unshare", "-m", "true")).code == 0, "unshare -m is not permitted here");
        assumeTrue(run(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "true")).code == 0,
                "setpriv cannot drop to nobody here");
        assumeTrue(run(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "sudo", "-n", "true"))
                .code != 0, "nobody has password-less sudo here, so the run would install the package");
        // The child runs as nobody: it gets a copy of the module path it can read (the originals may sit under /root).
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> modulePath = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("jdk.module.path").split(File.pathSeparator)) {
            Path src = Path.of(entry), dst = tmp.resolve("mp").resolve(Integer.toString(i++)).resolve(src.getFileName());
            copy(src, dst);
            modulePath.add(dst.toString());
        }
        readableByAll(tmp.resolve("mp"));
        // The README's main job, from a folder nobody may write to.
        Path config = Files.copy(Path.of("configs", "fashion-mlp.json"), tmp.resolve("fashion-mlp.json"));
        readableByAll(config);
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> c = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "if [ -d " + Sources.FASHION_MNIST_DIR + " ]; then mount -t tmpfs -o ro,mode=755 tmpfs "
                        + Path.of(Sources.FASHION_MNIST_DIR).getParent() + " || exit 97; fi; "
                        + "exec setpriv --reuid=" + NOBODY + " --regid=" + NOBODY + " --clear-groups \"$@\"", "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=optlab.tensor,optlab.experiments", "-p", String.join(File.pathSeparator, modulePath),
                "-m", "optlab.experiments/optlab.experiments.cli.Main",
                "train", config.toString(), "--steps", "1", "--out", out.resolve("run").toString()));
        Result r = run(c, out);
        String command = new Installer(Installer.Privilege.NONE, true, Installer.onPath("sudo")).command("dataset-fashion-mnist");
        assertEquals(1, r.code, r.out);
        assertTrue(r.out.contains("optlab train: failed: " + Sources.FASHION_MNIST_DIR + ": Fashion-MNIST is not installed; run: "
                + command + " (or name a folder of its IDX files"), r.out);
        assertFalse(r.out.contains("installing Debian's package"), r.out);
    }

    private record Result(int code, String out) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, tmp);
    }

    /** Runs {@code command} in {@code dir}, stdout and stderr together; 60 s at most. */
    private Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "run", ".log");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result(127, command.get(0) + ": " + e.getMessage()); // not installed: the assumption skips
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " ran over 60 s: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Copies a jar or a folder (an exploded module). */
    private static void copy(Path src, Path dst) throws IOException {
        Files.createDirectories(dst.getParent());
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path d = p.equals(src) ? dst : dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
    }

    /** Makes everything under {@code root} readable by any user. */
    private static void readableByAll(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
