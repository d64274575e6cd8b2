package optlab.experiments.data;

import java.util.Arrays;
import optlab.tensor.Tensor;

/**
 * A finite {@link Dataset} as an endless {@link DataStream}: epochs follow one another in the order
 * {@link Shuffle} gives epochs 0, 1, 2, ..., and a batch that reaches the end of an epoch continues into the
 * next, so every batch is full and every sample is seen once per epoch.
 */
public final class EpochStream implements DataStream {
    private final Dataset data;
    private final Shuffle shuffle;
    private final int[] order;
    private int epoch;
    private int position;

    public EpochStream(Dataset data, Shuffle shuffle) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("EpochStream: dataset " + data.name() + " is empty");
        }
        this.data = data;
        this.shuffle = shuffle;
        this.order = new int[data.size()];
        shuffle.fill(order, order.length, 0);
    }

    /** The epoch the next sample comes from. */
    public int epoch() {
        return epoch;
    }

    @Override
    public int[] sampleShape() {
        return data.sampleShape();
    }

    @Override
    public int[] targetShape() {
        return data.targetShape();
    }

    @Override
    public int numClasses() {
        return data.numClasses();
    }

    @Override
    public void next(Tensor x, Tensor y) {
        int b = x.rank() == 0 ? 0 : x.dim(0);
        Rows.checkBatch("EpochStream.next", "x", data.dtype(), data.sampleShape(), x, b);
        Rows.checkBatch("EpochStream.next", "y", data.targets(), y, b);
        for (int i = 0; i < b; i++) {
            int row = order[position++];
            data.copyFeatures(row, 1, x, i);
            Rows.copy(data.targets(), row, y, i, 1);
            if (position == order.length) {
                epoch++;
                position = 0;
                shuffle.fill(order, order.length, epoch);
            }
        }
    }

    @Override
    public String toString() {
        return "EpochStream(" + data.name() + ", " + shuffle + ", epoch " + epoch + ", sample shape "
                + Arrays.toString(data.sampleShape()) + ")";
    }
}
