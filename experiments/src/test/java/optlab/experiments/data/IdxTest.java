package optlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** IDX round trips through small generated files (gz and raw) and every kind of broken file. */
class IdxTest {
    @TempDir
    Path dir;

    static final int N = 5, H = 3, W = 4;

    /** An IDX file of unsigned bytes with the given dimensions and payload. */
    static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    static byte[] pixels() {
        byte[] p = new byte[N * H * W];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 37 + 11); // covers values above 127 (sign of byte)
        }
        p[0] = 0;
        p[1] = (byte) 255;
        return p;
    }

    static final byte[] LABELS = {9, 0, 3, 7, 1};

    /** Writes the four files of an IDX folder (train and t10k parts hold the same data). */
    Path folder(boolean gz) throws IOException {
        Path d = Files.createDirectories(dir.resolve(gz ? "gz" : "raw"));
        String ext = gz ? ".gz" : "";
        for (String part : new String[] {"train", "t10k"}) {
            byte[] img = idx(new int[] {N, H, W}, pixels()), lab = idx(new int[] {N}, LABELS);
            Files.write(d.resolve(part + "-images-idx3-ubyte" + ext), gz ? gzip(img) : img);
            Files.write(d.resolve(part + "-labels-idx1-ubyte" + ext), gz ? gzip(lab) : lab);
        }
        return d;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void roundTripsGzAndRawFoldersScaledToUnitInterval(DType dtype) throws IOException {
        byte[] p = pixels();
        for (boolean gz : new boolean[] {true, false}) {
            try (Scope s = Scope.open()) {
                Dataset d = Sources.load("mnist:" + folder(gz), Sources.Part.TEST, dtype, Normalization.unit(), s);
                assertArrayEquals(new int[] {N, 1, H, W}, d.features().shape());
                assertEquals(dtype, d.features().dtype());
                assertEquals(10, d.numClasses());
                double[] f = d.features().toDoubleArray();
                for (int i = 0; i < p.length; i++) {
                    double want = (p[i] & 0xff) / 255.0;
                    assertEquals(dtype == DType.F32 ? (float) want : want, f[i], 0.0, "pixel " + i + " gz " + gz);
                }
                assertEquals(0.0, f[0]);
                assertEquals(1.0, f[1]);
                assertArrayEquals(new double[] {9, 0, 3, 7, 1}, d.targets().toDoubleArray());
            }
        }
    }

    @Test
    void appliesANormalization() throws IOException {
        try (Scope s = Scope.open()) {
            Normalization norm = new Normalization(new double[] {0.5}, new double[] {0.25});
            Dataset d = Sources.load("mnist:" + folder(false), Sources.Part.TRAIN, DType.F64, norm, s);
            byte[] p = pixels();
            Tensor f = d.features();
            for (int i = 0; i < p.length; i++) {
                assertEquals(((p[i] & 0xff) / 255.0 - 0.5) / 0.25, f.getFlat(i), 1e-15);
            }
        }
    }

    private String failure(Path images, Path labels) {
        try (Scope s = Scope.open()) {
            return assertThrows(IOException.class,
                    () -> IdxDataset.load("t", images, labels, 10, DType.F32, Normalization.unit(), s)).getMessage();
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void brokenFilesFailNamingTheFileAndTheProblem() throws IOException {
        Path labels = write("labels", idx(new int[] {N}, LABELS));
        byte[] img = idx(new int[] {N, H, W}, pixels());

        byte[] badMagic = img.clone();
        badMagic[0] = 7;
        Path p = write("magic", badMagic);
        assertMessage(failure(p, labels), p, "bad IDX magic");

        byte[] floats = img.clone();
        floats[2] = 0x0D;
        p = write("floats", floats);
        assertMessage(failure(p, labels), p, "element type 0x0d");

        p = write("short", Arrays.copyOf(img, img.length - 3));
        assertMessage(failure(p, labels), p, "truncated IDX data", "need 60 bytes", "has 57");

        p = write("short.gz", gzip(Arrays.copyOf(img, img.length - 3)));
        assertMessage(failure(p, labels), p, "truncated IDX data");

        byte[] gz = gzip(img);
        p = write("cut.gz", Arrays.copyOf(gz, gz.length - 12));
        assertMessage(failure(p, labels), p, "truncated or corrupt gzip");

        p = write("header", Arrays.copyOf(img, 9));
        assertMessage(failure(p, labels), p, "truncated IDX header");

        p = write("tiny", new byte[] {0, 0});
        assertMessage(failure(p, labels), p, "truncated");

        p = write("trailing", Arrays.copyOf(img, img.length + 1));
        assertMessage(failure(p, labels), p, "bytes after");

        Path images = write("images", img);
        Path four = write("four-labels", idx(new int[] {4}, Arrays.copyOf(LABELS, 4)));
        assertMessage(failure(images, four), four, "image-label count mismatch", images.toString(), "5 images", "4 labels");

        Path big = write("big-label", idx(new int[] {N}, new byte[] {1, 2, 10, 3, 4}));
        assertMessage(failure(images, big), big, "label 10 at index 2");

        Path flat = write("flat", idx(new int[] {N * H * W}, pixels()));
        assertMessage(failure(flat, labels), flat, "expected IDX images [N, H, W]");
    }

    @Test
    void missingFilesAndUnknownNamesFailClearly() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (Scope s = Scope.open()) {
            String msg = assertThrows(IOException.class, () -> Sources.load("mnist:" + empty, Sources.Part.TRAIN,
                    DType.F32, Normalization.unit(), s)).getMessage();
            assertMessage(msg, empty, "no IDX images file", "train-images-idx3-ubyte.gz");
            msg = assertThrows(IllegalArgumentException.class,
                    () -> Sources.load("imagenet", Sources.Part.TRAIN, DType.F32, Normalization.unit(), s)).getMessage();
            assertTrue(msg.contains("unknown dataset 'imagenet'") && msg.contains("cifar10:<dir>"), msg);
        }
    }

    static void assertMessage(String msg, Path file, String... fragments) {
        assertTrue(msg.contains(file.toString()), "message does not name " + file + ": " + msg);
        for (String f : fragments) {
            assertTrue(msg.contains(f), "message lacks '" + f + "': " + msg);
        }
    }
}
