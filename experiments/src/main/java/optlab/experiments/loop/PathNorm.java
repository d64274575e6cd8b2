package optlab.experiments.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import optlab.models.ModelSpace;
import optlab.optim.PathStructure;

/**
 * The path norm φ_p of the weights at every evaluation (a column path_norm of evals.csv and the final value in the
 * summary), for models with a path structure ({@link ModelSpace#pathStructure()}); {@link #ifSupported} attaches it
 * only to those.
 */
public final class PathNorm implements Probe {
    private final PathStructure structure;
    private final double p;
    private double last = Double.NaN;
    private optlab.tensor.Tensor params;
    /** For a model on a device: its backend and a host copy of the weights, refreshed at each evaluation. */
    private optlab.tensor.backend.Backend device;
    private optlab.tensor.Scope host;
    private optlab.tensor.Tensor copy;

    private PathNorm(PathStructure structure, double p) {
        this.structure = structure;
        this.p = p;
    }

    /** The probe for {@code space}'s structure, or null when the model has none. */
    public static PathNorm ifSupported(ModelSpace space, double p) {
        try {
            return new PathNorm(space.pathStructure(), p);
        } catch (IllegalArgumentException none) {
            return null;
        }
    }

    /** The probe, failing with the reason when the model has no path structure. */
    public static PathNorm of(ModelSpace space, double p) {
        return new PathNorm(space.pathStructure(), p);
    }

    @Override
    public String name() {
        return "path_norm";
    }

    @Override
    public void start(RunContext run) {
        params = run.model().parameters();
        device = params.onDevice() ? run.backend() : null;
        if (device != null && host == null) {
            host = optlab.tensor.Scope.open();
            copy = host.empty(params.dtype(), params.shape());
        }
    }

    @Override
    public void atEvaluation(Evaluation e) {
        if (device != null) {
            device.copy(params, copy); // the weights of a model on a device, read on the host
        }
        last = structure.pathNorm(device == null ? params : copy, p);
    }

    @Override
    public void close() {
        if (host != null) {
            host.close();
            host = null;
        }
    }

    /** The last value measured (NaN before the first evaluation). */
    public double last() {
        return last;
    }

    @Override
    public List<String> evalColumns() {
        return List.of("path_norm");
    }

    @Override
    public List<String> evalCells() {
        return Arrays.asList(Double.isNaN(last) ? null : Double.toString(last));
    }

    @Override
    public void summarize(ObjectNode summary) {
        if (!Double.isNaN(last)) {
            Probe.finalFigures(summary).put("path_norm", last);
        }
    }
}
