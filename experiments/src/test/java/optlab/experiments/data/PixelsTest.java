package optlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optlab.experiments.online.Augmentation;
import optlab.experiments.online.AugmentedStream;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Image sets kept as 8-bit pixels: every way rows leave the dataset (batch copies, evaluation rows, row views,
 * seeded splits, the whole decoded tensor) gives the numbers the normalization defines, bit for bit alike, and the
 * batch paths never decode the whole set.
 */
class PixelsTest {
    @TempDir
    Path dir;

    static final double[] MEAN = {0.4, 0.5, 0.6}, STD = {0.2, 0.25, 0.3};
    static final int RECORDS = 7;

    /** What pixel (c, y, x) of record r reads as, in the dtype. */
    static double want(DType dtype, int r, int c, int y, int x) {
        double v = (CifarTest.pixel(r, c, y, x) / 255.0 - MEAN[c]) / STD[c];
        return dtype == DType.F32 ? (float) v : v;
    }

    private Dataset cifar(DType dtype, Scope s) throws IOException {
        int[] labels = new int[RECORDS];
        for (int r = 0; r < RECORDS; r++) {
            labels[r] = (r * 3) % 10;
        }
        Path f = Files.write(dir.resolve("test_batch_" + dtype + ".bin"), CifarTest.records(0, RECORDS, labels));
        return CifarFile.CIFAR10.load("c", List.of(f), dtype, new Normalization(MEAN, STD), s);
    }

    private static void assertRows(DType dtype, Tensor x, int firstRecord, int rows) {
        assertArrayEquals(new int[] {rows, 3, 32, 32}, x.shape());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y += 3) {
                    for (int xx = 0; xx < 32; xx += 5) {
                        assertEquals(want(dtype, firstRecord + r, c, y, xx), x.get(r, c, y, xx), 0.0,
                                "row " + r + " channel " + c);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchCopiesAndEvaluationRowsDecodeWithoutTheWholeCopy(DType dtype) throws IOException {
        try (Scope s = Scope.open(); Scope rows = Scope.open()) {
            Dataset d = cifar(dtype, s);
            assertNotNull(d.pixels(), "CIFAR loads as 8-bit pixels");
            assertEquals(dtype, d.dtype());
            assertArrayEquals(new int[] {3, 32, 32}, d.sampleShape());

            Tensor x = s.empty(dtype, 3, 3, 32, 32);
            d.copyFeatures(2, 3, x, 0);
            assertRows(dtype, x, 2, 3);
            d.copyFeatures(6, 1, x, 2); // into a later row; rows 0..1 untouched
            assertRows(dtype, x.slice(0, 0, 2), 2, 2);
            assertRows(dtype, x.slice(0, 2, 3), 6, 1);

            String msg = assertThrows(IllegalArgumentException.class, () -> d.copyFeatures(5, 3, x, 0)).getMessage();
            assertTrue(msg.contains("Dataset.copyFeatures") && msg.contains("from row 5"), msg);
            msg = assertThrows(IllegalArgumentException.class, () -> d.copyFeatures(0, 2, x, 2)).getMessage();
            assertTrue(msg.contains("into row 2"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> d.copyFeatures(0, 1, s.empty(dtype, 1, 3, 32, 31), 0)).getMessage();
            assertTrue(msg.contains("[B, 3, 32, 32]"), msg);

            Dataset view = d.rows(3, 7);
            assertRows(dtype, view.featureRows(1, 4, rows), 4, 3);
            assertEquals(0, view.featureRows(2, 2, rows).dim(0));
            msg = assertThrows(IllegalArgumentException.class, () -> view.featureRows(2, 5, rows)).getMessage();
            assertTrue(msg.contains("c[3:7]") && msg.contains("[2, 5)"), msg);

            Batches batches = new Batches(d, 3, Shuffle.seeded(5), false);
            Tensor bx = batches.featureBuffer(s), by = batches.targetBuffer(s);
            int seen = 0;
            for (int b; (b = batches.next(bx, by)) > 0; ) {
                for (int i = 0; i < b; i++) {
                    int r = (int) by.getFlat(i) * 7 % 10; // labels 3r mod 10 -> r (r < 10)
                    assertRows(dtype, bx.slice(0, i, i + 1), r, 1);
                }
                seen += b;
            }
            assertEquals(RECORDS, seen);
            EpochStream stream = new EpochStream(view, Shuffle.off());
            Tensor sx = s.empty(dtype, 5, 3, 32, 32), sy = s.empty(dtype, 5);
            stream.next(sx, sy);
            assertRows(dtype, sx.slice(0, 0, 4), 3, 4);
            assertRows(dtype, sx.slice(0, 4, 5), 3, 1); // wrapped into the next epoch

            assertFalse(d.pixels().isDecoded(), "batch paths must not decode the whole set");
            Tensor all = d.features();
            assertTrue(d.pixels().isDecoded());
            assertRows(dtype, all, 0, RECORDS);
            assertTrue(view.features().segment() == all.segment(), "a row view's features are a view of the one copy");
            assertRows(dtype, view.features(), 3, 4);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchesMatchTheDecodedSetBitForBit(DType dtype) throws IOException {
        try (Scope s = Scope.open()) {
            Dataset pixels = cifar(dtype, s);
            Dataset numbers = new Dataset("n", s.copyOf(cifar(dtype, s).features()), pixels.targets(), 10);
            assertNull(numbers.pixels());
            Batches a = new Batches(pixels, 4, Shuffle.seeded(9), false), b = new Batches(numbers, 4, Shuffle.seeded(9), false);
            Tensor ax = a.featureBuffer(s), ay = a.targetBuffer(s), bx = b.featureBuffer(s), by = b.targetBuffer(s);
            for (int epoch = 0; epoch < 2; epoch++) {
                a.startEpoch(epoch);
                b.startEpoch(epoch);
                for (int n; (n = a.next(ax, ay)) > 0; ) {
                    assertEquals(n, b.next(bx, by));
                    assertArrayEquals(bx.slice(0, 0, n).toDoubleArray(), ax.slice(0, 0, n).toDoubleArray(), 0.0);
                    assertArrayEquals(by.slice(0, 0, n).toDoubleArray(), ay.slice(0, 0, n).toDoubleArray(), 0.0);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void augmentedStreamsDrawTheSameImagesAsFromTheDecodedSet(DType dtype) throws IOException {
        try (Scope s = Scope.open()) {
            Dataset pixels = cifar(dtype, s);
            Dataset numbers = new Dataset("n", s.copyOf(cifar(dtype, s).features()), pixels.targets(), 10);
            Augmentation aug = new Augmentation(2, true, 0.05);
            AugmentedStream a = new AugmentedStream(pixels, aug, 11), b = new AugmentedStream(numbers, aug, 11);
            Tensor ax = s.empty(dtype, 5, 3, 32, 32), ay = s.empty(dtype, 5), bx = s.emptyLike(ax), by = s.emptyLike(ay);
            for (int k = 0; k < 3; k++) { // 15 draws: more than two passes over 7 images
                a.next(ax, ay);
                b.next(bx, by);
                assertArrayEquals(bx.toDoubleArray(), ax.toDoubleArray(), 0.0);
                assertArrayEquals(by.toDoubleArray(), ay.toDoubleArray(), 0.0);
            }
            AugmentedStream plain = new AugmentedStream(pixels, Augmentation.NONE, 11);
            plain.next(ax, ay);
            for (int i = 0; i < 5; i++) {
                assertRows(dtype, ax.slice(0, i, i + 1), (int) ay.getFlat(i) * 7 % 10, 1);
            }
            assertFalse(pixels.pixels().isDecoded(), "the stream decodes sample by sample");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void seededSplitsCopyPixelsAndKeepValues(DType dtype) throws IOException {
        try (Scope s = Scope.open()) {
            Dataset d = cifar(dtype, s).rows(1, RECORDS); // records 1..6 as a view
            Split split = Split.seeded(d, 2, 3, s);
            assertNotNull(split.train().pixels());
            assertNotNull(split.validation().pixels());
            assertEquals(4, split.train().size());
            for (Dataset part : List.of(split.train(), split.validation())) {
                for (int i = 0; i < part.size(); i++) {
                    int r = (int) part.targets().getFlat(i) * 7 % 10;
                    assertRows(dtype, part.featureRows(i, i + 1, s), r, 1);
                }
            }
            assertFalse(d.pixels().isDecoded());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void idxImagesLargerThanOneReadPieceStreamIn(DType dtype) throws IOException {
        int n = 101, h = 28, w = 28; // 79,184 bytes: more than one 64 KB piece
        byte[] px = new byte[n * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + i / 977);
        }
        byte[] labels = new byte[n];
        for (boolean gz : new boolean[] {true, false}) {
            byte[] img = IdxTest.idx(new int[] {n, h, w}, px), lab = IdxTest.idx(new int[] {n}, labels);
            Path ip = Files.write(dir.resolve("img" + gz), gz ? IdxTest.gzip(img) : img);
            Path lp = Files.write(dir.resolve("lab" + gz), gz ? IdxTest.gzip(lab) : lab);
            try (Scope s = Scope.open()) {
                Dataset d = IdxDataset.load("i", ip, lp, 10, dtype, Normalization.unit(), s);
                Tensor x = s.empty(dtype, 2, 1, h, w);
                d.copyFeatures(n - 2, 2, x, 0);
                for (int k = 0; k < 2 * h * w; k++) {
                    double v = (px[(n - 2) * h * w + k] & 0xff) / 255.0;
                    assertEquals(dtype == DType.F32 ? (float) v : v, x.getFlat(k), 0.0, "pixel " + k + " gz " + gz);
                }
            }
        }
    }
}
