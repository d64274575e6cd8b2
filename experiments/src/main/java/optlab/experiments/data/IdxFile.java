package optlab.experiments.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file (the MNIST format), gzip-compressed or raw (recognised by content, not name): magic 0x0000,
 * element type, rank; then each dimension as a big-endian int32; then the elements. Only unsigned bytes
 * (type 0x08, used by MNIST and Fashion-MNIST for images and labels) are supported. The dimensions are checked
 * against the file's size before anything is allocated, so a corrupt header cannot ask for gigabytes.
 */
public record IdxFile(Path file, int[] dims, byte[] data) {
    static final int UNSIGNED_BYTE = 0x08;
    /** Deflate's largest expansion (about 1032:1): a gzip file of S bytes never holds more than this times S. */
    static final long GZIP_MAX_RATIO = 1032;

    /** Receives an IDX file's elements: given the validated dimensions, where to put their bytes. */
    interface Sink {
        MemorySegment target(int[] dims) throws IOException;
    }

    /** Reads and validates {@code file} into a heap array (for small files: labels); errors name the file. */
    public static IdxFile read(Path file) throws IOException {
        byte[][] data = new byte[1][];
        int[] dims = read(file, d -> {
            data[0] = new byte[Math.toIntExact(numel(d))];
            return MemorySegment.ofArray(data[0]);
        });
        return new IdxFile(file, dims, data[0]);
    }

    /**
     * Reads and validates {@code file}, streaming its elements in 64 KB pieces into the segment {@code sink} gives
     * (so a large image file never exists as a whole on the heap); returns the dimensions. Every error names the
     * file and says what is wrong.
     */
    static int[] read(Path file, Sink sink) throws IOException {
        try (InputStream in = open(file)) {
            DataInputStream d = new DataInputStream(in);
            int magic;
            try {
                magic = d.readInt();
            } catch (EOFException e) {
                throw new IOException(file + ": truncated IDX file (shorter than the 4-byte magic number)");
            }
            int type = (magic >>> 8) & 0xff, rank = magic & 0xff;
            if ((magic >>> 16) != 0 || rank == 0) {
                throw new IOException(file + ": bad IDX magic number 0x" + String.format("%08x", magic)
                        + " (expected 0x000008nn; not an IDX file?)");
            }
            if (type != UNSIGNED_BYTE) {
                throw new IOException(file + ": IDX element type 0x" + String.format("%02x", type)
                        + " is not supported (only unsigned bytes, 0x08)");
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                try {
                    dims[i] = d.readInt();
                } catch (EOFException e) {
                    throw new IOException(file + ": truncated IDX header (" + rank + " dimensions declared, " + i + " present)");
                }
                if (dims[i] < 0) {
                    throw new IOException(file + ": negative IDX dimension " + dims[i]);
                }
                total *= dims[i];
                if (total > Integer.MAX_VALUE - 8) {
                    throw new IOException(file + ": IDX dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                            + " exceed 2 GB");
                }
            }
            long size = Files.size(file), header = 4 + 4L * rank;
            boolean gzip = in instanceof GZIPInputStream;
            if (gzip ? total > GZIP_MAX_RATIO * size : total > size - header) {
                throw new IOException(file + ": truncated IDX data: dimensions " + Arrays.toString(dims) + " need " + total
                        + " bytes, " + (gzip ? "more than a gzip file of " + size + " bytes can hold"
                        : "the file has " + (size - header) + " after its header"));
            }
            MemorySegment target = sink.target(dims.clone());
            byte[] piece = new byte[(int) Math.min(total, 1 << 16)];
            long done = 0;
            while (done < total) {
                int n = in.readNBytes(piece, 0, (int) Math.min(piece.length, total - done));
                if (n == 0) {
                    throw new IOException(file + ": truncated IDX data: dimensions " + Arrays.toString(dims) + " need "
                            + total + " bytes, the file has " + done);
                }
                MemorySegment.copy(piece, 0, target, ValueLayout.JAVA_BYTE, done, n);
                done += n;
            }
            if (in.read() != -1) {
                throw new IOException(file + ": IDX file has bytes after the " + total + " that dimensions "
                        + Arrays.toString(dims) + " describe");
            }
            return dims;
        } catch (java.util.zip.ZipException | EOFException e) {
            throw new IOException(file + ": truncated or corrupt gzip stream: " + e.getMessage(), e);
        }
    }

    private static long numel(int[] dims) {
        long n = 1;
        for (int x : dims) {
            n *= x;
        }
        return n;
    }

    /** Number of items (the first dimension). */
    public int count() {
        return dims[0];
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        // gzip members start with 0x1f 0x8b; an IDX file starts with two zero bytes.
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
