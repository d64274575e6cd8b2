package optlab.experiments.data;

import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * Epochs of mini-batches over a {@link Dataset}: {@link #next} copies the next B samples into batch tensors the
 * caller allocated once (see {@link #featureBuffer}), so a training loop allocates nothing per batch. Rows that
 * are consecutive in the visiting order (all of them without shuffling) move in one bulk copy.
 *
 * <pre>{@code
 * Batches batches = new Batches(train, 128, Shuffle.seeded(1), false);
 * Tensor x = batches.featureBuffer(scope), y = batches.targetBuffer(scope);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batches.startEpoch(epoch);
 *     for (int b; (b = batches.next(x, y)) > 0; ) { ... x.slice(0, 0, b) when b < 128 ... }
 * }
 * }</pre>
 */
public final class Batches {
    private final Dataset data;
    private final int batchSize;
    private final Shuffle shuffle;
    private final boolean dropLast;
    private final int[] order;
    private int position;
    private int end;

    /**
     * @param dropLast when true an epoch ends before a final batch smaller than {@code batchSize}; when false
     *                 that batch is returned and {@link #next} reports its size
     */
    public Batches(Dataset data, int batchSize, Shuffle shuffle, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("Batches: batch size must be positive, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.order = new int[data.size()];
        startEpoch(0);
    }

    public int batchSize() {
        return batchSize;
    }

    public Dataset dataset() {
        return data;
    }

    /** Batches in one epoch. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** A contiguous [B, sample...] tensor of the dataset's dtype, to pass to {@link #next} every time. */
    public Tensor featureBuffer(Scope scope) {
        int[] sample = data.sampleShape();
        int[] s = new int[sample.length + 1];
        s[0] = batchSize;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return scope.empty(data.dtype(), s);
    }

    /** A contiguous [B] (class indices) or [B, T] (regression) tensor for {@link #next}. */
    public Tensor targetBuffer(Scope scope) {
        int[] s = data.targets().shape();
        s[0] = batchSize;
        return scope.empty(data.targets().dtype(), s);
    }

    /** Rewinds to the start of epoch {@code epoch}, in that epoch's order (see {@link Shuffle}). */
    public void startEpoch(int epoch) {
        int n = data.size();
        shuffle.fill(order, n, epoch);
        position = 0;
        end = dropLast ? n - n % batchSize : n;
    }

    /** Moves past the next {@code count} batches of this epoch without copying them (to resume mid-epoch). */
    public void skip(int count) {
        if (count < 0 || count > batchesPerEpoch()) {
            throw new IllegalArgumentException("Batches.skip: " + count + " batches, an epoch has " + batchesPerEpoch());
        }
        position = (int) Math.min(end, position + (long) count * batchSize);
    }

    /**
     * Copies the next batch into {@code x} [B, ...] and {@code y}; returns how many rows it filled: B, fewer for
     * a final partial batch (rows beyond are stale), or 0 when the epoch is over.
     */
    public int next(Tensor x, Tensor y) {
        Rows.checkBatch("Batches.next", "x", data.dtype(), data.sampleShape(), x, batchSize);
        Rows.checkBatch("Batches.next", "y", data.targets(), y, batchSize);
        int count = Math.min(batchSize, end - position);
        int i = 0;
        while (i < count) {
            int first = order[position + i];
            int run = 1;
            while (i + run < count && order[position + i + run] == first + run) {
                run++;
            }
            data.copyFeatures(first, run, x, i);
            Rows.copy(data.targets(), first, y, i, run);
            i += run;
        }
        position += count;
        return count;
    }

    @Override
    public String toString() {
        return "Batches(" + data.name() + ", B=" + batchSize + ", " + shuffle + (dropLast ? ", drop last)" : ")");
    }
}
