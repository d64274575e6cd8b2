package optlab.experiments.data;

import java.util.Arrays;
import optlab.tensor.Scope;

/**
 * A training set divided into training and validation parts. {@link #last} is the fixed convention (the last
 * n samples in file order, e.g. the last 10,000 of MNIST's 60,000, as views without copying);
 * {@link #seeded} draws the validation samples by a seeded permutation and copies both parts.
 */
public record Split(Dataset train, Dataset validation) {
    /** Validation = the last {@code n} samples in file order; both parts are views of {@code data}. */
    public static Split last(Dataset data, int n) {
        check(data, n);
        int cut = data.size() - n;
        return new Split(data.rows(0, cut), data.rows(cut, data.size()));
    }

    /**
     * Validation = {@code n} samples chosen by the permutation {@code Shuffle.seeded(seed)} gives for epoch 0;
     * each part keeps file order among its samples. Copies into {@code scope}.
     */
    public static Split seeded(Dataset data, int n, long seed, Scope scope) {
        check(data, n);
        int size = data.size();
        int[] order = new int[size];
        Shuffle.seeded(seed).fill(order, size, 0);
        int[] validation = Arrays.copyOfRange(order, size - n, size);
        int[] train = Arrays.copyOfRange(order, 0, size - n);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new Split(gather(data, train, "train", scope), gather(data, validation, "validation", scope));
    }

    private static Dataset gather(Dataset data, int[] rows, String part, Scope scope) {
        return data.gather(data.name() + "/" + part, rows, scope);
    }

    private static void check(Dataset data, int n) {
        if (n < 0 || n > data.size()) {
            throw new IllegalArgumentException("Split: validation size " + n + " out of range for dataset "
                    + data.name() + " of " + data.size() + " samples");
        }
    }
}
