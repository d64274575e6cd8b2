package optlab.experiments.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only CSV file: header first, then rows, flushed every {@link #FLUSH_ROWS} rows or
 * {@link #FLUSH_NANOS} so a killed run keeps (almost) all finished rows, and a partial row can only be the last.
 * A checkpoint records the {@link #sync synced} length; a resumed run {@linkplain #resume cuts the file back} to it,
 * so rows written after the checkpoint by the killed run are neither kept twice nor lost.
 */
final class CsvLog implements AutoCloseable {
    static final int FLUSH_ROWS = 256;
    static final long FLUSH_NANOS = 2_000_000_000L;

    private final Path file;
    private final FileChannel channel;
    private final BufferedWriter out;
    private final int columns;
    private final StringBuilder row = new StringBuilder(128);
    private int pending;
    private long lastFlush = System.nanoTime();

    CsvLog(Path file, String... header) throws IOException {
        this(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), header.length);
        out.write(String.join(",", header));
        out.write('\n');
        out.flush();
    }

    private CsvLog(Path file, FileChannel channel, int columns) {
        this.file = file;
        this.channel = channel;
        this.out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
        this.columns = columns;
    }

    /**
     * Reopens {@code file} to append after its first {@code bytes} bytes (a length {@link #sync} returned), cutting
     * off what follows; fails naming the file unless it starts with {@code header} and is at least that long.
     */
    static CsvLog resume(Path file, long bytes, String... header) throws IOException {
        String want = String.join(",", header);
        String first;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = r.readLine();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": missing, but the checkpoint recorded " + bytes + " bytes of it");
        }
        if (!want.equals(first)) {
            throw new IOException(file + ": header '" + first + "' is not the run's '" + want + "'");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        try {
            if (ch.size() < bytes || bytes < want.length() + 1) {
                throw new IOException(file + ": " + ch.size() + " bytes, but the checkpoint recorded " + bytes);
            }
            ch.truncate(bytes);
            ch.position(bytes);
            return new CsvLog(file, ch, header.length);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Flushes and forces the rows so far to the disk; returns the file's length, which a checkpoint records. */
    long sync() throws IOException {
        flush();
        channel.force(false);
        return channel.position();
    }

    /** One row; a null cell is written empty (not computed). Numbers must already be formatted. */
    void row(String... cells) throws IOException {
        if (cells.length != columns) {
            throw new IllegalArgumentException("CsvLog: " + cells.length + " cells for " + columns + " columns");
        }
        row.setLength(0);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                row.append(',');
            }
            if (cells[i] != null) {
                row.append(cells[i]);
            }
        }
        row.append('\n');
        out.append(row);
        long now = System.nanoTime();
        if (++pending >= FLUSH_ROWS || now - lastFlush >= FLUSH_NANOS) {
            flush();
        }
    }

    void flush() throws IOException {
        out.flush();
        pending = 0;
        lastFlush = System.nanoTime();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
