package optlab.models.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the safetensors reader: random bytes, random mutations and every truncation of a valid file,
 * and hand-made hostile headers (overlapping or out-of-range offsets, shapes whose product overflows, unknown
 * dtypes, numbers beyond the long range, a header length of 2^60, deep nesting). Every case either loads (and then
 * holds no more tensor bytes than the file) or fails with a {@link SafeTensorsException} naming the file; any
 * other exception, and a hang (the timeout), fails the test with the seed and case to replay it.
 */
class SafeTensorsFuzzTest {
    static final long SEED = 20240616L;

    @TempDir
    Path dir;

    /** A valid file of an F32 [2, 3] and an F64 [4] tensor and metadata. */
    Path valid() throws IOException {
        Path f = dir.resolve("valid.safetensors");
        try (Scope s = Scope.open()) {
            Map<String, Tensor> t = new LinkedHashMap<>();
            t.put("w", s.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            t.put("b", s.of(DType.F64, new double[] {0.5, -1, 2, 3}, 4));
            SafeTensors.write(f, t, Map.of("step", "3"));
        }
        return f;
    }

    /**
     * Loads {@code bytes} both ways (read, and loadInto the valid file's shapes); only a clean outcome passes.
     * Returns whether read() loaded the file.
     */
    boolean clean(byte[] bytes, String what) throws IOException {
        Path f = dir.resolve("case.safetensors");
        Files.write(f, bytes);
        try (Scope s = Scope.open()) {
            Map<String, Tensor> got;
            try {
                got = SafeTensors.read(f, s);
            } catch (SafeTensorsException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), what + ": message does not name the file: " + e.getMessage());
                assertEquals(-1, e.getMessage().indexOf('\n'), what + ": not one line: " + e.getMessage());
                return false;
            }
            long held = got.values().stream().mapToLong(t -> t.numel() * t.dtype().byteSize()).sum();
            assertTrue(held <= 2L * bytes.length, what + ": " + held + " tensor bytes from a file of " + bytes.length);
            Map<String, Tensor> targets = new LinkedHashMap<>();
            targets.put("w", s.zeros(DType.F32, 2, 3));
            targets.put("b", s.zeros(DType.F64, 4));
            SafeTensors.loadInto(f, targets);
            return true;
        } catch (SafeTensorsException e) {
            assertTrue(e.getMessage().startsWith(f.toString()), what + ": message does not name the file: " + e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'), what + ": not one line: " + e.getMessage());
            return true;
        } catch (Throwable t) {
            fail(what + " (seed " + SEED + "): " + t, t);
            return false;
        }
    }

    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void hostileHeadersFailCleanly() throws IOException {
        List<String> headers = List.of(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536,65536],\"data_offsets\":[0,0]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[18446744073709551618],\"data_offsets\":[0,8]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[18446744073709551616,18446744073709551624]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}",
                "{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                "{\"__metadata__\":{\"k\":1}}",
                "{\"__metadata__\":[]}",
                "[1,2,3]",
                "\"text\"",
                "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}");
        for (String h : headers) {
            String what = "header " + (h.length() > 80 ? h.substring(0, 80) + "..." : h);
            assertFalse(clean(file(h, 8), what), what + " loaded");
        }
        // Header lengths that do not fit: 2^60, negative, past the end, below 2.
        for (long n : new long[] {1L << 60, -1, Long.MIN_VALUE, 1000, 0, 1}) {
            ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(n).put("{}".getBytes(StandardCharsets.UTF_8));
            assertFalse(clean(b.array(), "header length " + n), "header length " + n + " loaded");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void mutationsAndTruncationsOfAValidFileFailCleanly() throws IOException {
        byte[] good = Files.readAllBytes(valid());
        clean(good, "the valid file");
        for (int n = 0; n < good.length; n++) {
            clean(Arrays.copyOf(good, n), "truncated to " + n + " bytes");
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int i = 0; i < 600; i++) {
            byte[] m = good.clone();
            int edits = 1 + rng.nextInt(4);
            for (int e = 0; e < edits; e++) {
                // Mostly the header, where the structure is; bytes from the JSON alphabet make parseable near-misses.
                int at = rng.nextInt(10) < 8 ? 8 + rng.nextInt(Math.min(m.length - 8, 160)) : rng.nextInt(m.length);
                m[at] = rng.nextBoolean() ? (byte) rng.nextInt(256) : (byte) "0123456789-[]{},:\"eE.FIU".charAt(rng.nextInt(24));
            }
            clean(m, "mutation " + i);
        }
        for (int i = 0; i < 150; i++) {
            byte[] r = new byte[rng.nextInt(200)];
            rng.nextBytes(r);
            if (r.length >= 8 && rng.nextBoolean()) {
                ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).putLong(0, rng.nextInt(r.length)); // a length that fits
            }
            clean(r, "random bytes " + i);
        }
    }
}
