package optlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import optlab.experiments.run.ConfigException;
import optlab.experiments.run.DeviceSupport;
import optlab.experiments.run.RunConfig;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.Backends;

/**
 * A sweep's training jobs run on another backend ({@code --backend cuda} on a recipe or a grid): each job's config
 * gets the backend, and before any job runs the backend is opened once (one sentence where CUDA is absent) and
 * every job is checked against what the device can run ({@link DeviceSupport}), so a sweep is refused whole rather
 * than failing job by job. Jobs that are not training runs (a recipe's own host computations) are refused.
 */
public final class OnBackend implements Executor {
    private final Executor inner;
    private final String backend;

    private OnBackend(Executor inner, String backend) {
        this.inner = inner;
        this.backend = backend;
    }

    /** {@code inner} itself for the default cpu backend, else its jobs moved to {@code backend}. */
    public static Executor wrap(Executor inner, String backend) {
        return backend.equals("cpu") ? inner : new OnBackend(inner, backend);
    }

    @Override
    public SweepReport runAll(List<? extends SweepJob> jobs) {
        List<SweepJob> placed = new ArrayList<>();
        for (SweepJob job : jobs) {
            if (!(job instanceof TrainJob t)) {
                throw new ConfigException("backend", "--backend " + backend + " runs training jobs only; this sweep's "
                        + job.getClass().getSimpleName() + " jobs run on the host; use --backend cpu");
            }
            ObjectNode c = t.config().toJson();
            c.put("backend", backend);
            RunConfig config = RunConfig.parse(c);
            DeviceSupport.check(config.backend(), config.model(), config.optimizer(), config.geometry() != null, config.probes());
            placed.add(new TrainJob(t.id(), config));
        }
        try (Backend b = Backends.byName(backend, 1)) {
            b.describe(); // opened once up front: where CUDA is absent the sweep stops here with one sentence
        }
        return inner.runAll(placed);
    }

    @Override
    public String describe() {
        return inner.describe() + ", " + backend + " backend";
    }
}
