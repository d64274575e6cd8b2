package optlab.experiments.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import optlab.experiments.data.Batches;
import optlab.experiments.data.Dataset;
import optlab.experiments.data.GaussianMixture;
import optlab.experiments.data.Shuffle;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A source sought to k batches draws what an uninterrupted one draws after k: the same batches, epochs and
 * epoch-end signals, for every k over three epochs (mid-epoch, at the partial last batch, at epoch boundaries).
 */
class BatchSourceSeekTest {
    @Test
    void seekingToKDrawsWhatDrawingKBatchesWould() {
        try (Scope scope = Scope.open()) {
            Dataset data = new GaussianMixture(3, 4, 1.0, 0.5, 1).dataset(37, DType.F64, 3, scope); // 5 per epoch at B=8
            Batches a = new Batches(data, 8, Shuffle.seeded(9), false);
            Tensor x = a.featureBuffer(scope), y = a.targetBuffer(scope);
            List<String> straight = draws(BatchSource.epochs(a), 0, 25, x, y);
            for (int k = 0; k <= 15; k++) {
                BatchSource b = BatchSource.epochs(new Batches(data, 8, Shuffle.seeded(9), false));
                b.seek(k);
                assertEquals(straight.subList(k, k + 10), draws(b, k, 10, x, y), "sought to " + k);
            }
        }
    }

    /** {@code n} batches as text: step, size, epoch, epoch-start flag and every value. */
    static List<String> draws(BatchSource s, int first, int n, Tensor x, Tensor y) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int b = s.next(x, y);
            StringBuilder sb = new StringBuilder((first + i) + ":" + b + ":" + s.epoch() + ":" + s.epochStarted());
            for (int r = 0; r < b; r++) {
                sb.append(' ').append(y.getFlat(r));
                for (int c = 0; c < 4; c++) {
                    sb.append(',').append(x.getFlat(r * 4L + c));
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
