package optlab.experiments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * optlab in a child JVM, from the module path the tests run on (no built image needed): as a command line, and as
 * a launcher script that stands in for ./optlab (what a SLURM array task runs).
 */
final class ChildOptlab {
    private ChildOptlab() {
    }

    /** java ... -m optlab.experiments/...Main, with the JVM flags the build gives every JVM that runs our code. */
    static List<String> command(String... args) {
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null) {
            throw new IllegalStateException("the tests do not run on the module path (jdk.module.path unset)");
        }
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=optlab.tensor,optlab.experiments",
                "-p", modulePath, "-m", "optlab.experiments/optlab.experiments.cli.Main"));
        c.addAll(List.of(args));
        return c;
    }

    /** An executable script in {@code dir} that runs optlab with its arguments, like ./optlab. */
    static Path launcher(Path dir) throws IOException {
        StringBuilder s = new StringBuilder("#!/bin/sh\nexec");
        for (String w : command()) {
            s.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        s.append(" \"$@\"\n");
        Path f = dir.resolve("optlab-child");
        Files.writeString(f, s);
        f.toFile().setExecutable(true);
        return f;
    }
}
