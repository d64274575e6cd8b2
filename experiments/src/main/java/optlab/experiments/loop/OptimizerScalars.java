package optlab.experiments.loop;

import java.io.IOException;
import java.util.List;
import optlab.experiments.run.AtomicFiles;
import optlab.optim.OptimizerState;

/**
 * The optimizer state's named scalars after every {@code every}-th update into {@code optimizer_state.csv} (step,
 * then one column per scalar): e.g. rk23's step size h, its accepted and rejected step counts, and every oracle
 * rule's cumulative gradient evaluations. A rule without scalars writes just the step column.
 */
public final class OptimizerScalars implements Probe {
    static final String FILE = "optimizer_state.csv";
    private final long every;
    private java.nio.file.Path dir;
    private List<String> names;
    private final StringBuilder csv = new StringBuilder();

    public OptimizerScalars(long every) {
        if (every < 1) {
            throw new IllegalArgumentException("optimizer_state: every must be >= 1, got " + every);
        }
        this.every = every;
    }

    @Override
    public String name() {
        return "optimizer_state";
    }

    @Override
    public void start(RunContext run) {
        dir = run.dir();
    }

    @Override
    public void afterUpdate(StepView s) {
        if ((s.step() + 1) % every != 0) {
            return;
        }
        OptimizerState st = s.optimizerState();
        if (names == null) {
            names = st.scalarNames();
            csv.append("step");
            names.forEach(n -> csv.append(',').append(n));
            csv.append('\n');
        }
        csv.append(s.step());
        for (String n : names) {
            csv.append(',').append(st.scalar(n));
        }
        csv.append('\n');
    }

    @Override
    public void atEnd(LoopResult r) throws IOException {
        if (dir != null && names != null) {
            AtomicFiles.write(dir.resolve(FILE), csv.toString());
        }
    }
}
