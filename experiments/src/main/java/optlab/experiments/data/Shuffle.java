package optlab.experiments.data;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits samples: off (file order, so batch k holds samples k·B .. (k+1)·B − 1), or
 * a fresh permutation per epoch drawn from {@code (seed, epoch)} alone, so the same seed gives the same order on
 * every run and resuming at epoch e needs no replay of earlier epochs.
 */
public record Shuffle(boolean enabled, long seed) {
    /** File order ({@code --no-shuffle}). */
    public static Shuffle off() {
        return new Shuffle(false, 0);
    }

    public static Shuffle seeded(long seed) {
        return new Shuffle(true, seed);
    }

    /** Fills {@code order[0..n)} with epoch {@code epoch}'s visiting order (reuses the caller's array). */
    public void fill(int[] order, int n, int epoch) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (!enabled) {
            return;
        }
        // Fisher–Yates with a generator keyed by (seed, epoch): epochs are independent streams of one seed.
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    @Override
    public String toString() {
        return enabled ? "shuffle(seed " + seed + ")" : "no-shuffle";
    }
}
