package optlab.models.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}}),
 * then the raw little-endian data, offsets relative to its start. Files are memory-mapped, so a read touches
 * each byte once on its way into the destination tensor. Every error names the file.
 *
 * <p>Writing follows PyTorch's {@code safetensors.torch.save_file} closely enough that PyTorch reads our files:
 * tensors in sorted key order, packed back to back, header padded with spaces to a multiple of 8 bytes.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LENGTH_LE = I64_LE;

    private SafeTensors() {
    }

    /** {@link #write(Path, Map, Map)} without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (any strides; F32 or F64) and string {@code metadata} to {@code file} atomically:
     * the bytes go to a temporary file beside it, which then replaces {@code file} in one move, so a reader
     * never sees half a file and a crash leaves the old one.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, java.util.Set.of());
    }

    /**
     * {@link #write(Path, Map, Map)}, storing the tensors named in {@code int64} as I64 (PyTorch's dtype for
     * counters such as BatchNorm's num_batches_tracked: see {@link optlab.models.Model#int64Keys()}), so a
     * PyTorch state_dict round trip keeps their dtype. Their values must be whole numbers within the int64
     * range; a fraction or a name not among the tensors fails before anything is written.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
            java.util.Set<String> int64) throws IOException {
        for (String k : int64) {
            Tensor t = tensors.get(k);
            if (t == null) {
                throw new IllegalArgumentException("safetensors write " + file + ": I64 tensor '" + k
                        + "' is not among the tensors");
            }
            for (long i = 0; i < t.numel(); i++) {
                double v = t.getFlat(i);
                if (v != Math.rint(v) || Math.abs(v) >= 0x1p63) {
                    throw new IllegalArgumentException("safetensors write " + file + ": tensor '" + k + "' is stored as"
                            + " I64 but element " + i + " is " + v + ", not a whole number in the int64 range");
                }
            }
        }
        Map<String, Tensor> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getKey().equals(Header.METADATA_KEY) || e.getValue() == null) {
                throw new IllegalArgumentException("safetensors write " + file + ": bad entry '" + e.getKey()
                        + "' (names must be non-null and not " + Header.METADATA_KEY + ", tensors non-null)");
            }
            sorted.put(e.getKey(), e.getValue());
        }
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(Header.METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long dataBytes = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            Tensor t = e.getValue();
            StoredType type = int64.contains(e.getKey()) ? StoredType.I64 : StoredType.of(t.dtype());
            long size = t.numel() * type.byteSize;
            ObjectNode entry = root.putObject(e.getKey());
            entry.put("dtype", type.name());
            var shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(dataBytes).add(dataBytes + size);
            dataBytes += size;
        }
        byte[] header = paddedHeader(root);

        // The temporary file sits beside the target (same file system, so the move is atomic) and is created
        // with the default permissions, which Files.createTempFile would narrow to owner-only.
        Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
                 Arena arena = Arena.ofConfined()) {
                long total = 8 + header.length + dataBytes;
                MemorySegment out = ch.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
                out.set(LENGTH_LE, 0, header.length);
                MemorySegment.copy(header, 0, out, ValueLayout.JAVA_BYTE, 8, header.length);
                long at = 8 + header.length;
                for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
                    Tensor t = e.getValue();
                    if (int64.contains(e.getKey())) {
                        for (long i = 0; i < t.numel(); i++) {
                            out.set(I64_LE, at + 8 * i, (long) t.getFlat(i)); // whole numbers, checked above
                        }
                        at += t.numel() * 8;
                    } else {
                        storeLittleEndian(t, out, at);
                        at += t.numel() * t.dtype().byteSize();
                    }
                }
                out.force();
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads every tensor of {@code file} into new contiguous tensors of {@code scope}, in header order.
     * F32 and F64 load as themselves, I64 as F64 (exactly, or it fails: |v| ≤ 2^53); other dtypes (F16,
     * BF16, ...) fail naming key and dtype.
     */
    public static Map<String, Tensor> read(Path file, Scope scope) throws IOException {
        try (Mapped m = Mapped.open(file)) {
            for (Header.Entry e : m.header.entries()) {
                loadable(file, e);
                m.checkExact(e, e.type().loadsAs);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Header.Entry e : m.header.entries()) {
                Tensor t = scope.empty(e.type().loadsAs, e.shape());
                m.copyInto(e, t);
                out.put(e.name(), t);
            }
            return out;
        }
    }

    /** Each tensor's stored dtype name ("F32", "I64", ...), in header order (tests, diagnostics). */
    static Map<String, String> storedTypes(Path file) throws IOException {
        try (Mapped m = Mapped.open(file)) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Header.Entry e : m.header.entries()) {
                out.put(e.name(), e.type().name());
            }
            return out;
        }
    }

    /** The {@code __metadata__} strings of {@code file} (empty when it has none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (Mapped m = Mapped.open(file)) {
            return m.header.metadata();
        }
    }

    /**
     * Copies the tensors of {@code file} into existing tensors, such as a model's parameter views (any strides).
     * The keys must match exactly, and each entry's shape and dtype must equal its target's, except conversions
     * that are exact: an F32 entry fills an F64 target (an F32 checkpoint starts an F64 run), and an I64 entry
     * fills a target of either dtype if every value converts exactly; F64 into F32 (rounding) is refused. Everything is checked before anything is copied, so on error the targets
     * are untouched; the message lists all missing and unexpected keys, or names the key and both shapes/dtypes.
     */
    public static void loadInto(Path file, Map<String, Tensor> targets) throws IOException {
        try (Mapped m = Mapped.open(file)) {
            Map<String, Header.Entry> byName = new LinkedHashMap<>();
            for (Header.Entry e : m.header.entries()) {
                byName.put(e.name(), e);
            }
            List<String> missing = new ArrayList<>(), extra = new ArrayList<>();
            for (String k : targets.keySet()) {
                if (!byName.containsKey(k)) {
                    missing.add(k);
                }
            }
            for (String k : byName.keySet()) {
                if (!targets.containsKey(k)) {
                    extra.add(k);
                }
            }
            if (!missing.isEmpty() || !extra.isEmpty()) {
                throw new SafeTensorsException(file, "keys do not match the targets: missing from file " + missing
                        + ", unexpected in file " + extra);
            }
            for (Map.Entry<String, Tensor> t : targets.entrySet()) {
                Header.Entry e = byName.get(t.getKey());
                Tensor target = t.getValue();
                if (!Arrays.equals(e.shape(), target.shape())) {
                    throw new SafeTensorsException(file, "tensor '" + e.name() + "': file has shape "
                            + Arrays.toString(e.shape()) + " but the target has shape " + Arrays.toString(target.shape()));
                }
                loadable(file, e);
                boolean widening = e.type() == StoredType.F32 && target.dtype() == DType.F64; // exact
                if (e.type() != StoredType.I64 && e.type().loadsAs != target.dtype() && !widening) {
                    throw new SafeTensorsException(file, "tensor '" + e.name() + "': file has dtype " + e.type()
                            + " but the target has dtype " + target.dtype() + " (only F32 into F64 converts exactly;"
                            + " save the weights in " + target.dtype() + ")");
                }
                m.checkExact(e, target.dtype());
            }
            for (Map.Entry<String, Tensor> t : targets.entrySet()) {
                m.copyInto(byName.get(t.getKey()), t.getValue());
            }
        }
    }

    private static void loadable(Path file, Header.Entry e) throws SafeTensorsException {
        if (e.type().loadsAs == null) {
            throw new SafeTensorsException(file, "tensor '" + e.name() + "' has dtype " + e.type()
                    + ", which optlab cannot load (F32, F64 and I64 are supported)");
        }
    }

    /** JSON bytes padded with spaces to a multiple of 8, so the data buffer starts 8-byte aligned. */
    private static byte[] paddedHeader(ObjectNode root) throws JsonProcessingException {
        byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void storeLittleEndian(Tensor t, MemorySegment out, long at) {
        long n = t.numel();
        boolean f32 = t.dtype() == DType.F32;
        if (t.isContiguous()) {
            // One bulk copy; converts from native order when that is not little-endian.
            if (f32) {
                MemorySegment.copy(t.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, t.offset() * 4, out, F32_LE, at, n);
            } else {
                MemorySegment.copy(t.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, t.offset() * 8, out, F64_LE, at, n);
            }
            return;
        }
        for (long i = 0; i < n; i++) {
            if (f32) {
                out.set(F32_LE, at + 4 * i, (float) t.getFlat(i));
            } else {
                out.set(F64_LE, at + 8 * i, t.getFlat(i));
            }
        }
    }

    /** A file mapped read-only with its validated header; unmapped on close. */
    private record Mapped(Path file, Arena arena, MemorySegment bytes, Header header, long dataStart)
            implements AutoCloseable {

        static Mapped open(Path file) throws IOException {
            Arena arena = Arena.ofConfined();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < 8) {
                    throw new SafeTensorsException(file, "file has " + size + " bytes, fewer than the 8-byte header length");
                }
                MemorySegment bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                long n = bytes.get(LENGTH_LE, 0);
                if (n < 2 || n > size - 8) {
                    throw new SafeTensorsException(file, "header length " + n + " does not fit in a file of " + size
                            + " bytes (truncated or not safetensors)");
                }
                if (n > Header.MAX_HEADER_BYTES) {
                    throw new SafeTensorsException(file, "header length " + n + " exceeds the limit of "
                            + Header.MAX_HEADER_BYTES + " bytes");
                }
                byte[] json = bytes.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
                Header header = Header.parse(file, json, size - 8 - n);
                return new Mapped(file, arena, bytes, header, 8 + n);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }

        /** Fails unless every value of an I64 entry {@code e} converts exactly to {@code dtype}. */
        void checkExact(Header.Entry e, DType dtype) throws SafeTensorsException {
            if (e.type() != StoredType.I64) {
                return;
            }
            long at = dataStart + e.begin();
            for (long i = 0; i < e.numel(); i++) {
                long v = bytes.get(I64_LE, at + 8 * i);
                boolean exact = dtype == DType.F32 ? (long) (float) v == v && v != Long.MAX_VALUE
                        : (long) (double) v == v && v != Long.MAX_VALUE;
                if (!exact) {
                    throw new SafeTensorsException(file, "tensor '" + e.name() + "': I64 element " + i + " = " + v
                            + " has no exact " + dtype + " value");
                }
            }
        }

        /** Copies entry {@code e} into {@code t} (same shape; checked by the caller), converting the dtype. */
        void copyInto(Header.Entry e, Tensor t) {
            long at = dataStart + e.begin();
            long n = e.numel();
            StoredType type = e.type();
            if (t.isContiguous() && type.loadsAs == t.dtype() && type != StoredType.I64) {
                if (type == StoredType.F32) {
                    MemorySegment.copy(bytes, F32_LE, at, t.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, t.offset() * 4, n);
                } else {
                    MemorySegment.copy(bytes, F64_LE, at, t.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, t.offset() * 8, n);
                }
                return;
            }
            for (long i = 0; i < n; i++) {
                double v = switch (type) {
                    case F32 -> bytes.get(F32_LE, at + 4 * i);
                    case F64 -> bytes.get(F64_LE, at + 8 * i);
                    case I64 -> bytes.get(I64_LE, at + 8 * i);
                    default -> throw new IllegalStateException("unloadable dtype " + type + " passed the checks");
                };
                t.setFlat(i, v);
            }
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
