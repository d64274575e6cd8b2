package optlab.experiments.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A reader for the numeric arrays of a MATLAB level-5 MAT-file (what {@code save -v7} and scipy's {@code savemat}
 * write, and how SVHN ships): a 128-byte header whose last two bytes say the byte order, then data elements,
 * each an 8-byte tag (type, byte count; or the 4-byte "small element" form) and its data padded to 8 bytes.
 * Variables are miMATRIX elements (flags, dimensions, name, real part), possibly inside zlib-compressed
 * miCOMPRESSED elements. Only real, non-sparse numeric arrays are read; other variables (cells, structs, char
 * arrays, complex or sparse) are skipped. v7.3 files are HDF5 and are refused with a message saying so.
 * Every size in the file is checked against the bytes that hold it before it is used: a corrupt file fails naming
 * itself, and a compressed element grows its buffer as it inflates rather than trusting its claimed size.
 */
public final class MatFile {
    // Data types of tags (MATLAB's "MAT-File Format", table 1-1).
    static final int MI_INT8 = 1, MI_UINT8 = 2, MI_INT16 = 3, MI_UINT16 = 4, MI_INT32 = 5, MI_UINT32 = 6,
            MI_SINGLE = 7, MI_DOUBLE = 9, MI_INT64 = 12, MI_UINT64 = 13, MI_MATRIX = 14, MI_COMPRESSED = 15;
    /** Array classes of numeric arrays: mxDOUBLE_CLASS (6) .. mxUINT64_CLASS (15). */
    private static final int MX_FIRST_NUMERIC = 6, MX_LAST_NUMERIC = 15;

    /**
     * One numeric array: MATLAB dimensions (column-major: element (i, j, k, ...) is at i + d0·(j + d1·(k + ...)))
     * and its values as stored (type {@code miType}, in {@code data} with the file's byte order).
     */
    public record Array(String name, int[] dims, int miType, ByteBuffer data) {
        public long numel() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        /** Element {@code i} (column-major) as a double. */
        public double get(int i) {
            return switch (miType) {
                case MI_INT8 -> data.get(i);
                case MI_UINT8 -> data.get(i) & 0xff;
                case MI_INT16 -> data.getShort(2 * i);
                case MI_UINT16 -> data.getShort(2 * i) & 0xffff;
                case MI_INT32 -> data.getInt(4 * i);
                case MI_UINT32 -> data.getInt(4 * i) & 0xffffffffL;
                case MI_SINGLE -> data.getFloat(4 * i);
                case MI_DOUBLE -> data.getDouble(8 * i);
                case MI_INT64, MI_UINT64 -> data.getLong(8 * i);
                default -> throw new IllegalStateException("type " + miType);
            };
        }

        /** True when the values are stored as unsigned bytes (then {@link #bytes} gives them without copying). */
        public boolean isBytes() {
            return miType == MI_UINT8;
        }

        /** The uint8 values' backing array, from {@code data.arrayOffset()}; only when {@link #isBytes}. */
        byte[] bytes() {
            return data.array();
        }

        @Override
        public String toString() {
            return name + Arrays.toString(dims) + " (mi type " + miType + ")";
        }
    }

    private MatFile() {
    }

    /** The numeric arrays of {@code file} by variable name, in file order. */
    public static Map<String, Array> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 128) {
            throw new IOException(file + ": too short for a MAT-file (" + all.length + " bytes)");
        }
        if (new String(all, 0, 8, java.nio.charset.StandardCharsets.US_ASCII).startsWith("\u0089HDF")
                || new String(all, 0, 116, java.nio.charset.StandardCharsets.ISO_8859_1).contains("7.3 MAT-file")) {
            throw new IOException(file + ": a MATLAB v7.3 (HDF5) file; save it as v7 (-v7) or v5 to read it here");
        }
        ByteOrder order;
        if (all[126] == 'I' && all[127] == 'M') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (all[126] == 'M' && all[127] == 'I') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new IOException(file + ": not a level-5 MAT-file (no endian indicator at bytes 126-127)");
        }
        Map<String, Array> out = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(all).order(order);
        int at = 128;
        while (at + 8 <= all.length) {
            int type = b.getInt(at), size = b.getInt(at + 4);
            if (size < 0 || (long) at + 8 + size > all.length) {
                throw new IOException(file + ": element at byte " + at + " claims " + size + " bytes past the end of the file");
            }
            if (type == MI_COMPRESSED) {
                ByteBuffer inner = inflate(file, all, at + 8, size).order(order);
                element(file, inner, 0, out);
                at += 8 + size;
            } else {
                element(file, b, at, out);
                at += 8 + pad8(size);
            }
        }
        return out;
    }

    /** Reads the element at {@code at} into {@code out} when it is a numeric matrix. */
    private static void element(Path file, ByteBuffer b, int at, Map<String, Array> out) throws IOException {
        int type = b.getInt(at), size = b.getInt(at + 4);
        if (type != MI_MATRIX || size == 0) {
            return;
        }
        if (size < 0 || (long) at + 8 + size > b.limit()) {
            throw new IOException(file + ": matrix element at byte " + at + " claims " + size + " bytes past its end");
        }
        int end = at + 8 + size, p = at + 8;
        Sub flags = sub(file, b, p, end);
        if (flags.bytes < 8) {
            throw new IOException(file + ": matrix element at byte " + at + " has " + flags.bytes
                    + " bytes of array flags, expected 8");
        }
        int mxClass = b.get(flags.data) & 0xff, bits = b.get(flags.data + 1) & 0xff;
        p = flags.next;
        Sub dimsSub = sub(file, b, p, end);
        int[] dims = new int[dimsSub.bytes / 4];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = b.getInt(dimsSub.data + 4 * i);
            if (dims[i] < 0) {
                throw new IOException(file + ": matrix element at byte " + at + " has a negative dimension " + dims[i]);
            }
        }
        p = dimsSub.next;
        Sub nameSub = sub(file, b, p, end);
        byte[] nameBytes = new byte[nameSub.bytes];
        b.get(nameSub.data, nameBytes);
        String name = new String(nameBytes, java.nio.charset.StandardCharsets.US_ASCII);
        boolean complex = (bits & 0x08) != 0;
        if (mxClass < MX_FIRST_NUMERIC || mxClass > MX_LAST_NUMERIC || complex) {
            return; // cells, structs, chars, sparse, complex: not what a dataset is made of
        }
        Sub real = sub(file, b, nameSub.next, end);
        int width = switch (real.type) {
            case MI_INT8, MI_UINT8 -> 1;
            case MI_INT16, MI_UINT16 -> 2;
            case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
            case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
            default -> throw new IOException(file + ": variable " + name + " has values of unknown type " + real.type);
        };
        long numel = 1;
        for (int d : dims) {
            numel = Math.min(numel * d, Integer.MAX_VALUE + 1L); // ≤ 2^31 · 2^31 before the clamp: no overflow
        }
        if ((long) real.bytes != numel * width) {
            throw new IOException(file + ": variable " + name + " " + Arrays.toString(dims) + " holds " + real.bytes
                    + " bytes of type " + real.type + ", expected " + numel * width);
        }
        ByteBuffer data = b.slice(real.data, real.bytes).order(b.order());
        if (real.type == MI_UINT8 && (!data.hasArray() || data.arrayOffset() != 0)) {
            byte[] copy = new byte[real.bytes];
            data.get(0, copy);
            data = ByteBuffer.wrap(copy).order(b.order());
        }
        out.put(name, new Array(name, dims, real.type, data));
    }

    /** A subelement: its type, where its data starts, its byte count, and where the next one starts. */
    private record Sub(int type, int data, int bytes, int next) {
    }

    private static Sub sub(Path file, ByteBuffer b, int at, int end) throws IOException {
        if (at + 8 > end) {
            throw new IOException(file + ": truncated matrix element at byte " + at);
        }
        int first = b.getInt(at);
        if ((first >>> 16) != 0) { // small data element: 2 bytes count, 2 bytes type, 4 bytes data
            if ((first >>> 16) > 4) {
                throw new IOException(file + ": small subelement at byte " + at + " claims " + (first >>> 16)
                        + " bytes, at most 4 fit");
            }
            return new Sub(first & 0xffff, at + 4, first >>> 16, at + 8);
        }
        int size = b.getInt(at + 4);
        if (size < 0 || (long) at + 8 + size > end) {
            throw new IOException(file + ": subelement at byte " + at + " runs past its matrix");
        }
        return new Sub(first, at + 8, size, at + 8 + pad8(size));
    }

    private static int pad8(int n) {
        return (n + 7) & ~7;
    }

    /** Inflates one compressed element: its own tag first says how large the whole element is. */
    private static ByteBuffer inflate(Path file, byte[] all, int from, int length) throws IOException {
        Inflater z = new Inflater();
        try {
            z.setInput(all, from, length);
            byte[] tag = new byte[8];
            fill(file, z, tag, 0, 8);
            ByteBuffer t = ByteBuffer.wrap(tag).order(all[126] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            int size = t.getInt(4);
            if (size < 0 || size > Integer.MAX_VALUE - 16) {
                throw new IOException(file + ": compressed element at byte " + (from - 8) + " claims " + size + " bytes");
            }
            // Grown as the data comes (doubling from what the compressed bytes could hold at a usual ratio), so a
            // claimed size the stream does not back costs no more memory than the stream holds.
            byte[] out = new byte[(int) Math.min(8L + size, 8L + Math.max(1 << 16, 16L * length))];
            System.arraycopy(tag, 0, out, 0, 8);
            int done = 0;
            while (done < size) {
                if (out.length - 8 == done) {
                    out = Arrays.copyOf(out, (int) Math.min(8L + size, 2L * out.length));
                }
                int n = Math.min(size - done, out.length - 8 - done);
                fill(file, z, out, 8 + done, n);
                done += n;
            }
            return ByteBuffer.wrap(out);
        } finally {
            z.end();
        }
    }

    private static void fill(Path file, Inflater z, byte[] dst, int off, int len) throws IOException {
        try {
            int done = 0;
            while (done < len) {
                int n = z.inflate(dst, off + done, len - done);
                if (n == 0 && (z.finished() || z.needsInput() || z.needsDictionary())) {
                    throw new IOException(file + ": compressed element ends early (" + done + " of " + len + " bytes)");
                }
                done += n;
            }
        } catch (DataFormatException e) {
            throw new IOException(file + ": corrupt compressed element: " + e.getMessage(), e);
        }
    }
}
