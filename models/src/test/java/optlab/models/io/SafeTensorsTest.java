package optlab.models.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * safetensors against a golden file PyTorch wrote (make_fixture.py beside the fixture) and against itself;
 * every malformed file must fail naming the file and the problem.
 */
class SafeTensorsTest {
    @TempDir
    Path dir;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SafeTensorsTest.class.getResource(name).toURI());
    }

    /** fixture_expected.txt: name dtype shape values... (values exact decimal reprs). */
    record Expected(String name, String dtype, int[] shape, double[] values) {
    }

    static Map<String, Expected> expected() throws Exception {
        return parse(Files.readAllLines(resource("fixture_expected.txt")));
    }

    static Map<String, Expected> parse(List<String> lines) {
        Map<String, Expected> out = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            int[] shape = f[2].equals("-") ? new int[0]
                    : java.util.Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray();
            double[] v = new double[f.length - 3];
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.parseDouble(f[3 + i]);
            }
            out.put(f[0], new Expected(f[0], f[1], shape, v));
        }
        return out;
    }

    @Test
    void readsTheTorchFixtureExactly() throws Exception {
        Map<String, Expected> want = expected();
        try (Scope s = Scope.open()) {
            Map<String, Tensor> got = SafeTensors.read(resource("fixture.safetensors"), s);
            assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()), "header order is sorted key order");
            for (Expected e : want.values()) {
                Tensor t = got.get(e.name());
                assertArrayEquals(e.shape(), t.shape(), e.name());
                assertEquals(e.dtype().equals("F32") ? DType.F32 : DType.F64, t.dtype(), e.name());
                assertArrayEquals(e.values(), t.toDoubleArray(), 0.0, e.name());
            }
        }
        assertEquals(Map.of("format", "pt", "source", "make_fixture.py"),
                SafeTensors.metadata(resource("fixture.safetensors")));
    }

    @Test
    void loadIntoFillsStridedViewsAndAcceptsI64Counters() throws Exception {
        Map<String, Expected> want = expected();
        try (Scope s = Scope.open()) {
            Map<String, Tensor> targets = targetsFor(want, s);
            // 0.weight [3,4] as the transpose of a [4,3] buffer; 0.bias as every other element of a [6].
            Tensor wT = s.zeros(DType.F32, 4, 3);
            targets.put("0.weight", wT.mT());
            Tensor b = s.zeros(DType.F32, 6);
            targets.put("0.bias", b.slice(0, 0, 6, 2));
            SafeTensors.loadInto(resource("fixture.safetensors"), targets);
            for (Expected e : want.values()) {
                assertArrayEquals(e.values(), targets.get(e.name()).toDoubleArray(), 0.0, e.name());
            }
            assertEquals(0.0, b.get(1), "the slice's gaps stay untouched");
        }
    }

    private static Map<String, Tensor> targetsFor(Map<String, Expected> want, Scope s) {
        Map<String, Tensor> targets = new LinkedHashMap<>();
        for (Expected e : want.values()) {
            targets.put(e.name(), s.zeros(e.dtype().equals("F32") ? DType.F32 : DType.F64, e.shape()));
        }
        return targets;
    }

    @Test
    void mismatchedTargetsFailNamingKeysShapesAndDtypesAndTouchNothing() throws Exception {
        Path f = resource("fixture.safetensors");
        try (Scope s = Scope.open()) {
            Map<String, Tensor> targets = targetsFor(expected(), s);
            targets.remove("2.bias");
            targets.put("head.weight", s.zeros(DType.F32, 1));
            String msg = assertThrows(SafeTensorsException.class, () -> SafeTensors.loadInto(f, targets)).getMessage();
            assertTrue(msg.contains(f.toString()) && msg.contains("missing from file [head.weight]")
                    && msg.contains("unexpected in file [2.bias]"), msg);

            Map<String, Tensor> shapes = targetsFor(expected(), s);
            shapes.put("2.weight", s.zeros(DType.F32, 3, 2));
            msg = assertThrows(SafeTensorsException.class, () -> SafeTensors.loadInto(f, shapes)).getMessage();
            assertTrue(msg.contains("'2.weight'") && msg.contains("[2, 3]") && msg.contains("[3, 2]"), msg);
            assertEquals(0.0, shapes.get("0.weight").get(0, 1), "nothing copied before the checks pass");

            Map<String, Tensor> dtypes = targetsFor(expected(), s);
            dtypes.put("aux.f64", s.zeros(DType.F32, 2, 3));
            msg = assertThrows(SafeTensorsException.class, () -> SafeTensors.loadInto(f, dtypes)).getMessage();
            assertTrue(msg.contains("'aux.f64'") && msg.contains("F64") && msg.contains("F32"), msg);
        }
    }

    @Test
    void f32EntriesWidenExactlyIntoF64Targets() throws Exception {
        Path f = dir.resolve("widen.safetensors");
        try (Scope s = Scope.open()) {
            Tensor w = s.randn(DType.F32, new SplittableRandom(3), 4, 5);
            SafeTensors.write(f, Map.of("w", w), Map.of(), java.util.Set.of());
            Tensor into = s.zeros(DType.F64, 4, 5);
            SafeTensors.loadInto(f, Map.of("w", into));
            for (int i = 0; i < 20; i++) {
                assertEquals((double) (float) w.getFlat(i), into.getFlat(i), 0.0);
            }
        }
    }

    @Test
    void roundTripsStridedF32AndF64ScalarsAndEmptyTensors() throws Exception {
        Path f = dir.resolve("rt.safetensors");
        try (Scope s = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(7);
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("z.f32", s.randn(DType.F32, rng, 17, 33));
            in.put("a.f64.transposed", s.randn(DType.F64, rng, 5, 3).mT());
            in.put("m.sliced", s.randn(DType.F32, rng, 9, 8).slice(0, 1, 9, 3).slice(1, 2, 7));
            in.put("scalar", s.scalar(DType.F64, Math.PI));
            in.put("empty", s.zeros(DType.F32, 0, 3));
            SafeTensors.write(f, in, Map.of("step", "12"));

            byte[] raw = Files.readAllBytes(f);
            long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, n % 8, "header padded to 8 bytes");
            String header = new String(raw, 8, (int) n, StandardCharsets.UTF_8);
            assertTrue(header.startsWith("{\"__metadata__\":{\"step\":\"12\"},\"a.f64.transposed\""), header);
            assertTrue(header.indexOf("\"m.sliced\"") < header.indexOf("\"scalar\""), header);

            Map<String, Tensor> out = SafeTensors.read(f, s);
            assertEquals(List.of("a.f64.transposed", "empty", "m.sliced", "scalar", "z.f32"), List.copyOf(out.keySet()));
            for (var e : in.entrySet()) {
                Tensor got = out.get(e.getKey());
                assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
                assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
                assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), 0.0, e.getKey());
            }
            assertEquals(Map.of("step", "12"), SafeTensors.metadata(f));
        }
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("w.safetensors");
        try (Scope s = Scope.open()) {
            SafeTensors.write(f, Map.of("x", s.full(DType.F32, 1, 4)));
            SafeTensors.write(f, Map.of("y", s.full(DType.F64, 2, 3)));
            assertEquals(List.of("y"), List.copyOf(SafeTensors.read(f, s).keySet()));
            try (var files = Files.list(dir)) {
                assertEquals(List.of(f), files.toList());
            }
            Path plain = Files.createFile(dir.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f),
                    "default permissions, not a temporary file's owner-only ones");
            assertThrows(IllegalArgumentException.class,
                    () -> SafeTensors.write(f, Map.of("__metadata__", s.full(DType.F32, 1, 1))));
        }
    }

    /** Writes the fixture's float tensors back for make_fixture.py --check (see its docstring). */
    @Test
    void writesAFileForTheTorchCheck() throws Exception {
        Path out = Path.of("target", "safetensors", "java_written.safetensors");
        Files.createDirectories(out.getParent());
        try (Scope s = Scope.open()) {
            SafeTensors.write(out, SafeTensors.read(resource("fixture.safetensors"), s), Map.of("writer", "optlab"));
            assertEquals(List.copyOf(expected().keySet()), List.copyOf(SafeTensors.read(out, s).keySet()));
        }
    }

    // ------------------------------------------------------------ malformed files

    private Path file(String name, long headerLength, String json, byte[] data) throws IOException {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + j.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(j).put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private Path file(String name, String json, int dataBytes) throws IOException {
        return file(name, json.getBytes(StandardCharsets.UTF_8).length, json, new byte[dataBytes]);
    }

    private static void assertFails(Path f, String... fragments) {
        String msg;
        try (Scope s = Scope.open()) {
            msg = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f, s)).getMessage();
        }
        List<String> absent = new ArrayList<>();
        for (String frag : fragments) {
            if (!msg.contains(frag)) {
                absent.add(frag);
            }
        }
        assertTrue(msg.contains(f.toString()) && absent.isEmpty(), "message lacks " + absent + ": " + msg);
    }

    @Test
    void malformedFilesFailNamingFileAndProblem() throws Exception {
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertFails(file("short", ok, 0), "truncated", "'w'");
        assertFails(file("long-header", 4096, ok, new byte[8]), "header length 4096");
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[3]);
        assertFails(tiny, "fewer than the 8-byte");
        assertFails(file("json", "{\"w\":{\"dtype\":", 8), "not valid JSON");
        assertFails(file("array", "[1,2]", 0), "JSON object");
        assertFails(file("dup", "{\"w\":{},\"w\":{}}", 0), "not valid JSON");
        assertFails(file("f16", "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "'h'", "F16");
        assertFails(file("bf16", "{\"h\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2), "'h'", "BF16");
        assertFails(file("q", "{\"q\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), "'q'", "unknown dtype Q4");
        assertFails(file("size", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "'w'", "needs 12");
        assertFails(file("neg", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "'w'", "bad shape");
        assertFails(file("backwards", "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8), "'w'");
        assertFails(file("offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "'w'", "data_offsets");
        assertFails(file("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "'a'", "'b'", "overlap");
        assertFails(file("meta", "{\"__metadata__\":{\"k\":3}}", 0), "__metadata__");
    }

    @Test
    void truncatedFixtureFailsNamingTheFile() throws Exception {
        byte[] raw = Files.readAllBytes(resource("fixture.safetensors"));
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(raw, raw.length - 4));
        assertFails(cut, "truncated", "'aux.f64'");
        Path headerCut = dir.resolve("header-cut.safetensors");
        Files.write(headerCut, java.util.Arrays.copyOf(raw, 100));
        assertFails(headerCut, "does not fit");
    }
}
