package optlab.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the machine is, for logs and result files: the CPU model as the OS names it. */
public final class Machine {
    private Machine() {
    }

    /** The CPU model from /proc/cpuinfo (Linux), else the architecture. */
    public static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try (Stream<String> lines = Files.lines(info)) {
                var model = lines.filter(l -> l.startsWith("model name")).findFirst();
                if (model.isPresent()) {
                    return model.get().substring(model.get().indexOf(':') + 1).trim();
                }
            } catch (IOException | UncheckedIOException e) {
                // fall through: the architecture is better than nothing
            }
        }
        return System.getProperty("os.arch");
    }
}
