package optlab.experiments.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import optlab.tensor.backend.Backend;

/** The machine and settings a run's figures come from, logged at the start and stored in summary.json. */
public record RunEnvironment(String jdk, String backend, String vector, int threads, String os, String cpu) {

    public static RunEnvironment of(Backend backend) {
        return new RunEnvironment(Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
                backend.describe(), vector(backend.describe()),
                backend.threads(), System.getProperty("os.name") + " " + System.getProperty("os.arch"), Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
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
}
