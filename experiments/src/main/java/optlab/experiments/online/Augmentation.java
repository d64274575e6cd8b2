package optlab.experiments.online;

import java.util.SplittableRandom;
import optlab.tensor.Gaussian;

/**
 * Random augmentation that turns a finite image set into an approximate stream: a random crop of the image
 * zero-padded by {@code pad} pixels on each side (the crop has the original size, so the shift is uniform in
 * [−pad, pad] on each axis), a horizontal flip with probability 1/2 when {@code flip} (off for digits, whose
 * mirror images are other symbols), and i.i.d. Gaussian noise of standard deviation {@code noise} on every value.
 * All draws come from the caller's generator, so a seed fixes the augmented stream.
 */
public record Augmentation(int pad, boolean flip, double noise) {
    public static final Augmentation NONE = new Augmentation(0, false, 0);

    public Augmentation {
        if (pad < 0 || !(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("Augmentation: need pad >= 0 and finite noise >= 0, got pad " + pad
                    + ", noise " + noise);
        }
    }

    public boolean isIdentity() {
        return pad == 0 && !flip && noise == 0;
    }

    /**
     * Writes the augmented image {@code src} [C, H, W] (flat, row-major) into {@code dst} (same size). The draws
     * per image are fixed in number and order (crop offsets, flip, then one normal per value), so streams with
     * the same seed stay in step whatever the pixel values.
     */
    public void apply(double[] src, int channels, int height, int width, double[] dst, SplittableRandom rng) {
        int n = channels * height * width;
        if (src.length < n || dst.length < n) {
            throw new IllegalArgumentException("Augmentation.apply: image [" + channels + ", " + height + ", " + width
                    + "] needs " + n + " values, got src " + src.length + ", dst " + dst.length);
        }
        int dy = pad == 0 ? 0 : rng.nextInt(2 * pad + 1) - pad;
        int dx = pad == 0 ? 0 : rng.nextInt(2 * pad + 1) - pad;
        boolean mirror = flip && rng.nextBoolean();
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int sx = (mirror ? width - 1 - x : x) + dx;
                    boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    dst[plane + y * width + x] = inside ? src[plane + sy * width + sx] : 0.0;
                }
            }
        }
        if (noise > 0) {
            for (int i = 0; i < n; i++) {
                dst[i] += noise * Gaussian.next(rng);
            }
        }
    }
}
