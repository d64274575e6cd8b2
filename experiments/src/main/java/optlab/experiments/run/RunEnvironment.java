package optlab.experiments.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import optlab.tensor.backend.Backend;

/** The machine and settings a run's figures come from, logged at the start and stored in summary.json. */
public record RunEnvironment(String jdk, String backend, String vector, int threads, String os, String cpu) {

    public static RunEnvironment of(Backend backend) {
        return new RunEnvironment(Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
                backend.describe(), vector(backend.describe()),
                backend.threads(), System.getProperty("os.name") + " " + System.getProperty("os.arch"), cpuModel());
    }

    /** The width the kernels use, as the backend reports it ("512-bit"; "scalar" for the reference kernels). */
    private static String vector(String describe) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)-bit").matcher(describe);
        String forced = System.getProperty("optlab.vector", "preferred");
        return (m.find() ? m.group(1) + "-bit" : "scalar") + " (optlab.vector=" + forced + ")";
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("jdk", jdk);
        o.put("backend", backend);
        o.put("vector", vector);
        o.put("threads", threads);
        o.put("os", os);
        o.put("cpu", cpu);
        return o;
    }

    /** The start-of-run log line. */
    public String log() {
        return "backend " + backend + "; vector " + vector + "; threads " + threads + "; java " + jdk + "; " + cpu;
    }

    /** The CPU model from /proc/cpuinfo (Linux), else the architecture. */
    private static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try (Stream<String> lines = Files.lines(info)) {
                var model = lines.filter(l -> l.startsWith("model name")).findFirst();
                if (model.isPresent()) {
                    return model.get().substring(model.get().indexOf(':') + 1).trim() + ", "
                            + Runtime.getRuntime().availableProcessors() + " cores";
                }
            } catch (IOException | UncheckedIOException e) {
                // the architecture below is better than nothing
            }
        }
        return System.getProperty("os.arch");
    }
}
