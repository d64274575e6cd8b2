package optlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the data loaders: IDX (bad magic, overflowing dimensions, every truncation of a small file, raw
 * and gzip, random mutations), CIFAR (sizes, labels, random bytes) and MAT/SVHN (every truncation and random
 * mutations of the scipy-written fixtures, hostile sizes). Each case either loads or fails with an IOException whose
 * one-line message names the file; any other exception, a hang (the timeout) or an IDX allocation larger than the
 * file can back fails the test, with the seed and case to replay it.
 */
class LoaderFuzzTest {
    static final long SEED = 16_05L;

    @TempDir
    Path dir;

    @FunctionalInterface
    interface Load {
        void run(Path file) throws IOException;
    }

    /** Writes {@code bytes} to {@code name}, loads it; true if it loaded, false if it failed cleanly. */
    boolean clean(String name, byte[] bytes, String what, Load load) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        try {
            load.run(f);
            return true;
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            assertTrue(m.contains(f.toString()), what + ": the message does not name " + f + ": " + m);
            assertEquals(-1, m.indexOf('\n'), what + ": not one line: " + m);
            return false;
        } catch (Throwable t) {
            fail(what + " (seed " + SEED + "): " + t, t);
            return false;
        }
    }

    /** IdxFile.read with a sink that checks the allocation against what the file can back. */
    void idx(Path f) throws IOException {
        long size = Files.size(f);
        IdxFile.read(f, dims -> {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            assertTrue(n <= 1032 * size, "asked for " + n + " bytes from a file of " + size);
            return MemorySegment.ofArray(new byte[(int) n]);
        });
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void idxFilesLoadOrFailNamingTheFile() throws IOException {
        byte[] good = IdxTest.idx(new int[] {IdxTest.N, IdxTest.H, IdxTest.W}, IdxTest.pixels());
        assertTrue(clean("good.idx", good, "the valid file", this::idx));
        byte[] gz = IdxTest.gzip(good);
        assertTrue(clean("good.idx.gz", gz, "the valid gzip file", this::idx));
        for (int n = 0; n < good.length; n++) {
            assertFalse(clean("cut.idx", Arrays.copyOf(good, n), "truncated to " + n, this::idx), "truncated to " + n);
        }
        for (int n = 0; n < gz.length; n++) {
            assertFalse(clean("cut.idx.gz", Arrays.copyOf(gz, n), "gzip truncated to " + n, this::idx), "gzip cut " + n);
        }
        // Headers that claim more than the file holds, up to dimensions whose product passes 2^63.
        List<int[]> hostile = List.of(new int[] {60000, 28, 28}, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE},
                new int[] {65536, 65536, 65536, 65536}, new int[] {-1, 4}, new int[] {Integer.MIN_VALUE, -1});
        for (int[] d : hostile) {
            assertFalse(clean("big.idx", IdxTest.idx(d, new byte[12]), "dims " + Arrays.toString(d), this::idx));
            assertFalse(clean("big.idx.gz", IdxTest.gzip(IdxTest.idx(d, new byte[12])), "gzip dims " + Arrays.toString(d),
                    this::idx));
        }
        for (int magic : new int[] {0x0801_0000, 0x0000_0000, 0x0000_0D03, 0xFFFF_FFFF, 0x0000_08FF}) {
            byte[] b = good.clone();
            ByteBuffer.wrap(b).putInt(0, magic);
            assertFalse(clean("magic.idx", b, "magic " + Integer.toHexString(magic), this::idx));
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int i = 0; i < 200; i++) {
            byte[] m = (i % 2 == 0 ? good : gz).clone();
            for (int e = 1 + rng.nextInt(3); e > 0; e--) {
                m[rng.nextInt(Math.min(m.length, 24))] = (byte) rng.nextInt(256); // the header and first bytes
            }
            clean("mut.idx", m, "mutation " + i, this::idx);
        }
        // Through the dataset loader too: image and label files that disagree, labels out of range.
        try (Scope s = Scope.open()) {
            Path images = dir.resolve("images.idx");
            Files.write(images, good);
            for (int i = 0; i < 100; i++) {
                byte[] labels = IdxTest.idx(new int[] {rng.nextInt(7)}, new byte[7]);
                labels = Arrays.copyOf(labels, 8 + ByteBuffer.wrap(labels).getInt(4));
                for (int k = 8; k < labels.length; k++) {
                    labels[k] = (byte) rng.nextInt(12);
                }
                clean("labels.idx", labels, "labels " + i, f -> IdxDataset.load("fuzz", images, f, 10, DType.F32,
                        Normalization.unit(), s));
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void cifarFilesLoadOrFailNamingTheFile() throws IOException {
        byte[] good = CifarTest.records(0, 2, 3, 7);
        SplittableRandom rng = new SplittableRandom(SEED);
        try (Scope s = Scope.open()) {
            Load cifar10 = f -> CifarFile.CIFAR10.load("fuzz", List.of(f), DType.F32, Normalization.unit(), s);
            Load cifar100 = f -> CifarFile.CIFAR100.load("fuzz", List.of(f), DType.F32, Normalization.unit(), s);
            assertTrue(clean("good.bin", good, "the valid file", cifar10));
            for (int n : new int[] {0, 1, 3072, 3074, 6145}) {
                assertFalse(clean("cut.bin", Arrays.copyOf(good, n), "size " + n, cifar10), "size " + n);
            }
            for (int i = 0; i < 60; i++) {
                byte[] m = good.clone();
                m[rng.nextBoolean() ? 0 : 3073] = (byte) rng.nextInt(256); // a label byte
                clean("label.bin", m, "label mutation " + i, rng.nextBoolean() ? cifar10 : cifar100);
            }
            for (int i = 0; i < 30; i++) {
                byte[] r = new byte[rng.nextInt(3) * 3073 + rng.nextInt(3) * 3074 + rng.nextInt(2)];
                rng.nextBytes(r);
                clean("random.bin", r, "random bytes " + i, rng.nextBoolean() ? cifar10 : cifar100);
            }
        }
    }

    byte[] svhnFixture(String name) throws IOException {
        try (InputStream in = SvhnTest.class.getResourceAsStream("svhn/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void matFilesLoadOrFailNamingTheFile() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        try (Scope s = Scope.open()) {
            Load svhn = f -> SvhnFile.load("fuzz", f, DType.F32, Normalization.unit(), s);
            for (String name : List.of("train_32x32.mat", "test_32x32.mat")) { // compressed; plain
                byte[] good = svhnFixture(name);
                assertTrue(clean("good.mat", good, name, svhn));
                for (int n = 0; n < good.length; n += n < 300 ? 1 : 7) {
                    clean("cut.mat", Arrays.copyOf(good, n), name + " truncated to " + n, svhn);
                }
                for (int i = 0; i < 120; i++) {
                    byte[] m = good.clone();
                    for (int e = 1 + rng.nextInt(3); e > 0; e--) {
                        // Mostly the tags and sizes after the 128-byte header: where the structure is.
                        m[128 + rng.nextInt(Math.min(m.length - 128, 200))] = (byte) rng.nextInt(256);
                    }
                    clean("mut.mat", m, name + " mutation " + i, svhn);
                }
            }
            // A compressed element claiming 2 GB inflates to what its stream holds and fails; it allocates no 2 GB.
            byte[] claim = svhnFixture("train_32x32.mat");
            ByteBuffer b = ByteBuffer.wrap(claim).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(MatFile.MI_COMPRESSED, b.getInt(128));
            java.util.zip.Deflater z = new java.util.zip.Deflater();
            byte[] tag = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(MatFile.MI_MATRIX)
                    .putInt(Integer.MAX_VALUE - 16).array();
            z.setInput(tag);
            z.finish();
            byte[] packed = new byte[64];
            int len = z.deflate(packed);
            z.end();
            byte[] hostile = new byte[128 + 8 + len];
            System.arraycopy(claim, 0, hostile, 0, 128);
            ByteBuffer.wrap(hostile).order(ByteOrder.LITTLE_ENDIAN).putInt(128, MatFile.MI_COMPRESSED).putInt(132, len);
            System.arraycopy(packed, 0, hostile, 136, len);
            assertFalse(clean("claim.mat", hostile, "a 2 GB claim", svhn));
        }
    }
}
