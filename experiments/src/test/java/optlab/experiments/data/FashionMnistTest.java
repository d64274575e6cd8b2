package optlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The real Fashion-MNIST from Debian's dataset-fashion-mnist; skipped where the package is not installed. */
class FashionMnistTest {
    @Test
    void loadsTheDebianFiles() throws IOException {
        assumeTrue(Files.isDirectory(Path.of(Sources.FASHION_MNIST_DIR)), "dataset-fashion-mnist is not installed");
        try (Scope s = Scope.open()) {
            long t0 = System.nanoTime();
            Dataset train = Sources.load("fashion-mnist", Sources.Part.TRAIN, DType.F32, Normalization.unit(), s);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("fashion-mnist train: " + train + " loaded in " + ms + " ms");
            Dataset test = Sources.load("fashion-mnist", Sources.Part.TEST, DType.F32, Normalization.unit(), s);

            assertArrayEquals(new int[] {60000, 1, 28, 28}, train.features().shape());
            assertEquals(784, train.sampleNumel());
            assertArrayEquals(new int[] {10000, 1, 28, 28}, test.features().shape());
            assertEquals(9.0, train.targets().get(0), "train label 0 is 9, ankle boot");
            assertEquals(9.0, test.targets().get(0), "test label 0 is 9, ankle boot");
            for (Dataset d : new Dataset[] {train, test}) {
                int[] counts = new int[10];
                for (double y : d.targets().toDoubleArray()) {
                    assertTrue(y >= 0 && y <= 9 && y == Math.rint(y), "label " + y);
                    counts[(int) y]++;
                }
                for (int c : counts) {
                    assertEquals(d.size() / 10, c, "Fashion-MNIST is balanced");
                }
            }
            float[] px = train.features().segment().toArray(ValueLayout.JAVA_FLOAT); // contiguous, offset 0
            assertEquals(60000L * 784, px.length);
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : px) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(0f, min);
            assertEquals(1f, max);

            // One shuffled epoch of the real set: every batch row is an exact copy of its source sample.
            Split split = Split.last(train, 10_000);
            Batches batches = new Batches(split.train(), 128, Shuffle.seeded(1), false);
            Tensor x = batches.featureBuffer(s), y = batches.targetBuffer(s);
            t0 = System.nanoTime();
            int rows = 0, batchCount = 0;
            for (int b; (b = batches.next(x, y)) > 0; batchCount++) {
                rows += b;
            }
            System.out.println("fashion-mnist: one shuffled epoch of " + rows + " rows in " + batchCount
                    + " batches copied in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertEquals(50_000, rows);
            batches.startEpoch(0);
            batches.next(x, y);
            int[] order = new int[50_000];
            Shuffle.seeded(1).fill(order, 50_000, 0);
            for (int r : new int[] {0, 1, 127}) {
                assertEquals(train.targets().get(order[r]), y.get(r));
                for (int p : new int[] {0, 400, 783}) {
                    assertEquals(train.features().get(order[r], 0, p / 28, p % 28), x.get(r, 0, p / 28, p % 28));
                }
            }
        }
    }
}
