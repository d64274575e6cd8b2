package optlab.experiments.loop;

import java.io.IOException;
import optlab.experiments.run.AtomicFiles;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * What the geometry probes that write one CSV file share: w* resolved at the start ({@link EndPoint}), a scope for
 * their buffers (freed at close), the rows gathered in memory and written atomically at the end.
 */
abstract class EndPointProbe implements Probe {
    private final EndPoint end;
    private final String file;
    final StringBuilder csv;
    RunContext run;
    Scope scope;
    Tensor wStar;

    EndPointProbe(EndPoint end, String file, String header) {
        this.end = java.util.Objects.requireNonNull(end, "end");
        this.file = file;
        this.csv = new StringBuilder(header).append('\n');
    }

    @Override
    public void start(RunContext run) throws IOException {
        this.run = run;
        scope = Scope.open();
        wStar = end.resolve(run.model().parameters(), scope);
    }

    /** The training set, or an error naming the probe when the run has none (a stream). */
    final optlab.experiments.data.Dataset train(RunContext run) {
        if (run.train() == null || run.batchesPerEpoch() <= 0) {
            throw new IllegalArgumentException(name() + ": the run has no finite training set");
        }
        return run.train();
    }

    @Override
    public void atEnd(LoopResult r) throws IOException {
        if (run != null && run.dir() != null) {
            AtomicFiles.write(run.dir().resolve(file), csv.toString());
        }
    }

    @Override
    public void close() {
        if (scope != null) {
            scope.close();
            scope = null;
        }
    }
}
