package optlab.experiments.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import optlab.experiments.run.AtomicFiles;
import optlab.models.ModelSpace;
import optlab.optim.ParamRange;
import optlab.optim.geometry.PathDots;
import optlab.optim.geometry.PathGeometry;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * The geometry per parameter tensor: for each named tensor (state-dict order) the cosine and RSI of its slice of
 * g_t against its slice of w_t − w*, at step 0 and every {@code every} steps, in long format into
 * {@code geometry_layers.csv}: {@code step,tensor,kind,numel,dist,grad_norm,inner,rsi,eb,cos,lolr}. The slices' dots
 * add up to the whole block's ({@link PathDots#plus}), so which layers carry the alignment can be read off.
 */
public final class LayerGeometry extends EndPointProbe {
    static final String FILE = "geometry_layers.csv";
    private final long every;
    private List<ParamRange> ranges;

    public LayerGeometry(EndPoint end, long every) {
        super(end, FILE, "step,tensor,kind,numel," + GeometryCsv.MEASURES);
        if (every < 1) {
            throw new IllegalArgumentException("geometry_layers: every must be >= 1, got " + every);
        }
        this.every = every;
    }

    @Override
    public String name() {
        return "geometry_layers";
    }

    @Override
    public void start(RunContext run) throws IOException {
        super.start(run);
        ranges = ModelSpace.of(run.model()).ranges();
    }

    @Override
    public void afterBackward(StepView s) {
        if (s.step() % every != 0) {
            return;
        }
        Map<String, PathDots> byRange = PathGeometry.dotsByRange(s.params(), s.grads(), wStar, null, ranges);
        for (ParamRange r : ranges) {
            PathDots d = byRange.get(r.name());
            csv.append(s.step()).append(',').append(r.name()).append(',').append(r.kind()).append(',').append(r.numel());
            GeometryCsv.measures(csv, d);
            csv.append('\n');
        }
    }


}
