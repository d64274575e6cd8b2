package optlab.experiments.bench;

import jdk.incubator.vector.VectorShape;
import optlab.experiments.run.Machine;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * The hardware and software a result was measured on, logged at the start of a run and stored
 * with every result: figures without their machine cannot be compared.
 *
 * @param backend      {@link Backend#describe()} of the CPU backend with one thread (vector species)
 * @param optlabVector the forced vector width ({@code -Doptlab.vector}), "preferred" when not forced
 * @param openblas     OpenBLAS's build configuration, or null when the library is missing
 * @param plan         the JMH forks and iterations behind every figure of the run
 */
public record BenchEnvironment(String jdk, String os, String cpu, int cores, String backend, String optlabVector,
        int preferredVectorBits, String openblas, JmhLauncher.Plan plan) {

    public static BenchEnvironment current(JmhLauncher.Plan plan) {
        String backend;
        try (Backend b = Backends.cpu(1)) {
            backend = b.describe();
        }
        return new BenchEnvironment(
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                backend,
                System.getProperty("optlab.vector", "preferred"),
                VectorShape.preferredShape().vectorBitSize(),
                OpenBlas.load().map(b -> b.config() + "; core " + b.core()).orElse(null),
                plan);
    }

    /** The header lines a run prints before measuring. */
    public String log() {
        return "JDK      " + jdk + "\n"
                + "machine  " + cpu + ", " + cores + " cores, " + os + "\n"
                + "optlab   " + backend + " (-Doptlab.vector=" + optlabVector + ", CPU prefers " + preferredVectorBits
                + "-bit)\n"
                + "OpenBLAS " + (openblas != null ? openblas : "not found: " + OpenBlas.missingReason()
                        + " -- reporting optlab alone") + "\n";
    }
}
