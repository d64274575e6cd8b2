package optlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SVHN's MAT-files, read from fixtures written by scipy.io.savemat (experiments/scripts/svhn_fixture.py): a
 * compressed train file with uint8 labels and an uncompressed test file with double labels.
 */
class SvhnTest {
    @TempDir
    Path dir;

    Path fixtures() throws IOException {
        for (String f : new String[] {"train_32x32.mat", "test_32x32.mat"}) {
            try (InputStream in = SvhnTest.class.getResourceAsStream("svhn/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    /** The fixture's pixel (sample n, channel k, row r, column c). */
    static int pixel(int n, int k, int r, int c) {
        return (n * 60 + k * 20 + r * 5 + c) % 256;
    }

    @Test
    void readsBothFilesIntoChannelMajorImagesWithDigitLabels() throws IOException {
        Path d = fixtures();
        for (DType dt : DType.values()) {
            try (Scope s = Scope.open()) {
                Dataset train = Sources.load("svhn:" + d, Sources.Part.TRAIN, dt, Normalization.unit(), s);
                assertArrayEquals(new int[] {6, 3, 4, 5}, train.features().shape());
                assertEquals(10, train.numClasses());
                // 10 stands for the digit 0.
                assertEquals("[1.0, 0.0, 3.0, 0.0, 9.0, 5.0]", Arrays.toString(train.targets().toDoubleArray()));
                double[] x = train.features().toDoubleArray();
                for (int n = 0; n < 6; n++) {
                    for (int k = 0; k < 3; k++) {
                        for (int r = 0; r < 4; r++) {
                            for (int c = 0; c < 5; c++) {
                                assertEquals(pixel(n, k, r, c) / 255.0, x[((n * 3 + k) * 4 + r) * 5 + c], 1e-7,
                                        "n" + n + " k" + k + " r" + r + " c" + c);
                            }
                        }
                    }
                }
                Dataset test = Sources.load("svhn:" + d, Sources.Part.TEST, dt, Normalization.unit(), s);
                assertArrayEquals(new int[] {2, 3, 4, 5}, test.features().shape());
                assertEquals("[0.0, 2.0]", Arrays.toString(test.targets().toDoubleArray()));
                assertEquals(pixel(1, 2, 3, 4) / 255.0, test.features().toDoubleArray()[((3 + 2) * 4 + 3) * 5 + 4], 1e-7);
            }
        }
    }

    @Test
    void badFilesFailNamingTheFileAndTheProblem() throws IOException {
        Path d = fixtures();
        byte[] good = Files.readAllBytes(d.resolve("train_32x32.mat"));
        Path cut = dir.resolve("cut.mat");
        Files.write(cut, Arrays.copyOf(good, good.length - 40));
        IOException e = assertThrows(IOException.class, () -> MatFile.read(cut));
        assertTrue(e.getMessage().contains("cut.mat"), e.getMessage());

        Path notMat = dir.resolve("x.mat");
        Files.write(notMat, new byte[200]);
        assertTrue(assertThrows(IOException.class, () -> MatFile.read(notMat)).getMessage().contains("not a level-5"));

        Path hdf5 = dir.resolve("v73.mat");
        byte[] h = new byte[512];
        System.arraycopy("MATLAB 7.3 MAT-file, Platform: GLNXA64".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, h, 0, 38);
        Files.write(hdf5, h);
        assertTrue(assertThrows(IOException.class, () -> MatFile.read(hdf5)).getMessage().contains("v7.3"));

        try (Scope s = Scope.open()) {
            Path missing = dir.resolve("empty");
            Files.createDirectories(missing);
            assertThrows(IOException.class, () -> Sources.load("svhn:" + missing, Sources.Part.TRAIN, DType.F32,
                    Normalization.unit(), s));
            assertThrows(IllegalArgumentException.class, () -> Sources.load("svhn", Sources.Part.TRAIN, DType.F32,
                    Normalization.unit(), s));
        }
    }
}
