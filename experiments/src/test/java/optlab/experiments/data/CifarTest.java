package optlab.experiments.data;

import static optlab.experiments.data.IdxTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR binary readers on generated three-record files. */
class CifarTest {
    @TempDir
    Path dir;

    /** Pixel (c, y, x) of record r, a value that tells all four apart (mod 256). */
    static int pixel(int r, int c, int y, int x) {
        return (r * 101 + c * 53 + y * 7 + x * 3) & 0xff;
    }

    /** {@code records} records starting at record number {@code first}; labels precede the pixels. */
    static byte[] records(int first, int records, int... labelsPerRecord) {
        int lb = labelsPerRecord.length / records;
        int size = lb + 3072;
        byte[] b = new byte[records * size];
        for (int r = 0; r < records; r++) {
            for (int k = 0; k < lb; k++) {
                b[r * size + k] = (byte) labelsPerRecord[r * lb + k];
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        b[r * size + lb + c * 1024 + y * 32 + x] = (byte) pixel(first + r, c, y, x);
                    }
                }
            }
        }
        return b;
    }

    static void assertPixels(Tensor f, int records) {
        assertArrayEquals(new int[] {records, 3, 32, 32}, f.shape());
        for (int r = 0; r < records; r++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y += 5) {
                    for (int x = 0; x < 32; x += 3) {
                        assertEquals((float) (pixel(r, c, y, x) / 255.0), f.get(r, c, y, x), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void cifar10ReadsTheTestBatch() throws IOException {
        Files.write(dir.resolve("test_batch.bin"), records(0, 3, 3, 9, 0));
        try (Scope s = Scope.open()) {
            Dataset d = Sources.load("cifar10:" + dir, Sources.Part.TEST, DType.F32, Normalization.unit(), s);
            assertEquals(10, d.numClasses());
            assertArrayEquals(new double[] {3, 9, 0}, d.targets().toDoubleArray());
            assertPixels(d.features(), 3);
        }
    }

    @Test
    void cifar10TrainConcatenatesFiveBatchesInOrder() throws IOException {
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), records(i - 1, 1, i));
        }
        try (Scope s = Scope.open()) {
            Dataset d = Sources.load("cifar10:" + dir, Sources.Part.TRAIN, DType.F32, Normalization.unit(), s);
            assertArrayEquals(new double[] {1, 2, 3, 4, 5}, d.targets().toDoubleArray());
            assertPixels(d.features(), 5);
        }
    }

    @Test
    void cifar100UsesTheFineLabelAndPerChannelNormalization() throws IOException {
        Files.write(dir.resolve("train.bin"), records(0, 3, 1, 42, 19, 99, 0, 7));
        Normalization norm = new Normalization(new double[] {0.1, 0.2, 0.3}, new double[] {0.5, 1, 2});
        try (Scope s = Scope.open()) {
            Dataset d = Sources.load("cifar100:" + dir, Sources.Part.TRAIN, DType.F64, norm, s);
            assertEquals(100, d.numClasses());
            assertArrayEquals(new double[] {42, 99, 7}, d.targets().toDoubleArray());
            double[] mean = {0.1, 0.2, 0.3}, std = {0.5, 1, 2};
            for (int c = 0; c < 3; c++) {
                assertEquals((pixel(2, c, 31, 17) / 255.0 - mean[c]) / std[c], d.features().get(2, c, 31, 17), 1e-15);
            }
        }
    }

    @Test
    void badFilesFailNamingTheFile() throws IOException {
        Path cut = dir.resolve("test_batch.bin");
        byte[] three = records(0, 3, 1, 2, 3);
        Files.write(cut, Arrays.copyOf(three, three.length - 100));
        try (Scope s = Scope.open()) {
            String msg = assertThrows(IOException.class, () -> Sources.load("cifar10:" + dir, Sources.Part.TEST,
                    DType.F32, Normalization.unit(), s)).getMessage();
            assertMessage(msg, cut, "not a positive multiple of the 3073-byte");

            Files.write(cut, records(0, 2, 4, 10));
            msg = assertThrows(IOException.class, () -> Sources.load("cifar10:" + dir, Sources.Part.TEST,
                    DType.F32, Normalization.unit(), s)).getMessage();
            assertMessage(msg, cut, "record 1 has label 10");

            msg = assertThrows(IOException.class, () -> Sources.load("cifar10:" + dir, Sources.Part.TRAIN,
                    DType.F32, Normalization.unit(), s)).getMessage();
            assertMessage(msg, dir.resolve("data_batch_1.bin"), "not found");

            Normalization gray = new Normalization(new double[] {0, 0}, new double[] {1, 1});
            Files.write(cut, records(0, 1, 4));
            msg = assertThrows(IllegalArgumentException.class, () -> Sources.load("cifar10:" + dir, Sources.Part.TEST,
                    DType.F32, gray, s)).getMessage();
            assertEquals("cifar10:" + dir + "/test: normalization has 2 channel means but the images have 3 channels", msg);
        }
    }
}
