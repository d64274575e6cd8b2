package optlab.experiments.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An append-only CSV file: header first, then rows, flushed every {@link #FLUSH_ROWS} rows or
 * {@link #FLUSH_NANOS} so a killed run keeps (almost) all finished rows, and a partial row can only be the last.
 */
final class CsvLog implements AutoCloseable {
    static final int FLUSH_ROWS = 256;
    static final long FLUSH_NANOS = 2_000_000_000L;

    private final BufferedWriter out;
    private final int columns;
    private final StringBuilder row = new StringBuilder(128);
    private int pending;
    private long lastFlush = System.nanoTime();

    CsvLog(Path file, String... header) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.columns = header.length;
        out.write(String.join(",", header));
        out.write('\n');
        out.flush();
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
