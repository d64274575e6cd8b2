package optlab.experiments.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import optlab.experiments.data.Dataset;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Crops, flips and noise of single images, and the augmented stream: shapes, seeding, each sample once per pass. */
class AugmentationTest {

    /** n images [1, 3, 4] whose pixels are 1 + sample index (so a crop's zero padding is visible), label i % 10. */
    static Dataset indexed(Scope scope, DType dtype, int n) {
        Tensor x = scope.empty(dtype, n, 1, 3, 4), y = scope.empty(dtype, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 12; j++) {
                x.setFlat(12L * i + j, 1 + i);
            }
            y.setFlat(i, i % 10);
        }
        return new Dataset("indexed", x, y, 10);
    }

    @Test
    void flipMirrorsRowsAndCropShiftsWithZeroPadding() {
        double[] img = {1, 2, 3, 4, 5, 6}; // [1, 2, 3]
        double[] out = new double[6];
        // Flip only: over many draws both the identity and the mirror occur, and nothing else.
        Set<String> seen = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            new Augmentation(0, true, 0).apply(img, 1, 2, 3, out, rng);
            seen.add(Arrays.toString(out));
        }
        assertEquals(Set.of("[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]", "[3.0, 2.0, 1.0, 6.0, 5.0, 4.0]"), seen);
        // Crop with pad 1: each output is the image shifted by (dy, dx) in [-1, 1]², zeros shifted in.
        seen.clear();
        for (int i = 0; i < 400; i++) {
            new Augmentation(1, false, 0).apply(img, 1, 2, 3, out, rng);
            seen.add(Arrays.toString(out));
        }
        assertEquals(9, seen.size(), seen.toString());
        assertTrue(seen.contains("[0.0, 0.0, 0.0, 1.0, 2.0, 3.0]"), "shifted down one row");
        assertTrue(seen.contains("[2.0, 3.0, 0.0, 5.0, 6.0, 0.0]"), "shifted left one column");
    }

    @Test
    void noiseHasTheGivenScale() {
        double[] img = new double[3 * 32 * 32], out = new double[img.length];
        new Augmentation(0, false, 0.1).apply(img, 3, 32, 32, out, new SplittableRandom(2));
        double ss = 0;
        for (double v : out) {
            ss += v * v;
        }
        assertEquals(0.1, Math.sqrt(ss / out.length), 0.01);
    }

    @Test
    void eachSampleOncePerPassThenAFreshOrder() {
        for (DType dtype : DType.values()) {
            try (Scope scope = Scope.open()) {
                int n = 37;
                Dataset data = indexed(scope, dtype, n);
                AugmentedStream s = new AugmentedStream(data, Augmentation.NONE, 5);
                Tensor x = scope.empty(dtype, 5, 1, 3, 4), y = scope.empty(dtype, 5);
                int[] seen = new int[n];
                int[] firstPass = new int[n], secondPass = new int[n];
                for (int drawn = 0; drawn < 2 * n; ) {
                    s.next(x, y);
                    for (int i = 0; i < 5 && drawn < 2 * n; i++, drawn++) {
                        int k = (int) x.getFlat(12L * i) - 1;
                        assertEquals(k % 10, y.getFlat(i), "the label travels with its image");
                        seen[k]++;
                        (drawn < n ? firstPass : secondPass)[drawn % n] = k;
                    }
                    if (drawn == 35) {
                        for (int c : seen) {
                            assertTrue(c <= 1, "no sample twice within a pass: " + Arrays.toString(seen));
                        }
                    }
                }
                assertFalse(Arrays.equals(firstPass, secondPass), "a new pass is a new permutation");
                int[] sorted = firstPass.clone();
                Arrays.sort(sorted);
                int[] all = new int[n];
                Arrays.setAll(all, i -> i);
                assertArrayEquals(all, sorted, "the first pass visits every sample once");
                assertEquals(75, s.drawn());
            }
        }
    }

    @Test
    void sameSeedSameStreamOtherSeedOther() {
        try (Scope scope = Scope.open()) {
            Dataset data = indexed(scope, DType.F32, 20);
            Augmentation aug = new Augmentation(1, true, 0.05);
            double[] a = draw(scope, data, aug, 9), b = draw(scope, data, aug, 9), c = draw(scope, data, aug, 10);
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
            assertEquals(8 * 12, a.length, "augmented samples keep their shape");
        }
    }

    private static double[] draw(Scope scope, Dataset data, Augmentation aug, long seed) {
        AugmentedStream s = new AugmentedStream(data, aug, seed);
        Tensor x = scope.empty(DType.F32, 8, 1, 3, 4), y = scope.empty(DType.F32, 8);
        s.next(x, y);
        return x.toDoubleArray();
    }

    @Test
    void badBatchTensorsAndShapesAreRejected() {
        try (Scope scope = Scope.open()) {
            Dataset data = indexed(scope, DType.F32, 4);
            AugmentedStream s = new AugmentedStream(data, Augmentation.NONE, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.next(scope.empty(DType.F32, 2, 12), scope.empty(DType.F32, 2)));
            assertTrue(e.getMessage().contains("AugmentedStream.next") && e.getMessage().contains("[2, 1, 3, 4]"),
                    e.getMessage());
            Dataset flat = new Dataset("flat", scope.empty(DType.F32, 4, 12), data.targets(), 10);
            assertThrows(IllegalArgumentException.class, () -> new AugmentedStream(flat, new Augmentation(2, false, 0), 1));
            assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false, 0));
        }
    }
}
