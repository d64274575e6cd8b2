package optlab.experiments.online;

import java.util.Arrays;
import java.util.SplittableRandom;
import optlab.experiments.data.DataStream;
import optlab.experiments.data.Dataset;
import optlab.experiments.data.Shuffle;
import optlab.tensor.DType;
import optlab.tensor.Tensor;

/**
 * A finite image set as an approximate online stream: passes over the set, each in a fresh seeded permutation,
 * every sample freshly augmented when drawn. Within a pass every sample is drawn exactly once, so a run shorter
 * than one pass never sees a sample twice; longer runs see each image again only with new crops, flips and noise.
 */
public final class AugmentedStream implements DataStream {
    private final Dataset data;
    private final Augmentation augmentation;
    private final Shuffle shuffle;
    private final SplittableRandom rng;
    private final int[] order;
    private final int channels, height, width, sampleNumel;
    private final double[] src, dst;
    private int pass;
    private int position;
    private long drawn;

    /** @param data a classification set of images [N, C, H, W] (or [N, D], which is augmented only by noise) */
    public AugmentedStream(Dataset data, Augmentation augmentation, long seed) {
        if (!data.isClassification() || data.size() == 0) {
            throw new IllegalArgumentException("AugmentedStream: needs a non-empty classification set, got " + data);
        }
        int[] s = data.sampleShape();
        if (s.length == 3) {
            channels = s[0];
            height = s[1];
            width = s[2];
        } else if (augmentation.pad() == 0 && !augmentation.flip()) {
            channels = 1;
            height = 1;
            width = Math.toIntExact(data.sampleNumel());
        } else {
            throw new IllegalArgumentException("AugmentedStream: crops and flips need images [C, H, W], but "
                    + data.name() + " has samples of shape " + Arrays.toString(s));
        }
        this.data = data;
        this.augmentation = augmentation;
        // The permutations and the augmentation draws come from two generators of the one seed.
        this.shuffle = Shuffle.seeded(seed);
        this.rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.order = new int[data.size()];
        this.sampleNumel = Math.toIntExact(data.sampleNumel());
        this.src = new double[sampleNumel];
        this.dst = new double[sampleNumel];
        shuffle.fill(order, order.length, 0);
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

    /** Samples drawn so far. */
    public long drawn() {
        return drawn;
    }

    /** Index in the underlying set of the next sample to be drawn. */
    int peekIndex() {
        return order[position];
    }

    @Override
    public void next(Tensor x, Tensor y) {
        int b = x.rank() == 0 ? 0 : x.dim(0);
        int[] sample = data.sampleShape();
        int[] want = new int[sample.length + 1];
        want[0] = b;
        System.arraycopy(sample, 0, want, 1, sample.length);
        if (!x.isContiguous() || !y.isContiguous() || x.dtype() != data.dtype() || y.dtype() != x.dtype()
                || !Arrays.equals(x.shape(), want) || y.rank() != 1 || y.dim(0) != b) {
            throw new IllegalArgumentException("AugmentedStream.next: x must be a contiguous " + data.dtype()
                    + Arrays.toString(want) + " and y a [" + b + "] tensor of that dtype; got " + x + " and " + y);
        }
        DType dt = x.dtype();
        for (int i = 0; i < b; i++) {
            if (position == order.length) {
                shuffle.fill(order, order.length, ++pass);
                position = 0;
            }
            int k = order[position++];
            // The sample lands in its row of x first (8-bit images are decoded there), then is augmented in place.
            data.copyFeatures(k, 1, x, i);
            long to = x.offset() + (long) i * sampleNumel;
            for (int j = 0; j < sampleNumel; j++) {
                src[j] = dt.get(x.segment(), to + j);
            }
            double[] out = src;
            if (!augmentation.isIdentity()) {
                augmentation.apply(src, channels, height, width, dst, rng);
                out = dst;
            }
            for (int j = 0; j < sampleNumel; j++) {
                dt.set(x.segment(), to + j, out[j]);
            }
            y.setFlat(i, data.targets().getFlat(k));
            drawn++;
        }
    }

    @Override
    public String toString() {
        return "augmented(" + data.name() + ", " + augmentation + ")";
    }
}
