package optlab.experiments.plot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A numeric CSV file as written by training runs: one header row of column names, then rows of
 * numbers; an empty cell (a metric not measured at that row) reads as NaN. No quoting: run files
 * hold numbers only. Errors name the file and the 1-based line.
 */
public record CsvTable(Path file, List<String> header, List<double[]> rows) {

    public CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** Reads {@code file}; fails with a message naming the file (and line) when it is missing, empty or malformed. */
    public static CsvTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PlotException("missing file " + file);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null || first.isBlank()) {
                throw new PlotException(file + ": empty file (expected a header row)");
            }
            List<String> header = Arrays.stream(first.split(",", -1)).map(String::strip).toList();
            List<double[]> rows = new ArrayList<>();
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                rows.add(parseRow(file, lineNo, line, header.size()));
            }
            return new CsvTable(file, header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static double[] parseRow(Path file, int lineNo, String line, int columns) {
        String[] cells = line.split(",", -1);
        if (cells.length != columns) {
            throw new PlotException(file + " line " + lineNo + ": " + cells.length + " cells, header has " + columns);
        }
        double[] row = new double[columns];
        for (int c = 0; c < columns; c++) {
            String cell = cells[c].strip();
            try {
                row[c] = cell.isEmpty() ? Double.NaN : parseNumber(cell);
            } catch (NumberFormatException e) {
                throw new PlotException(file + " line " + lineNo + ": cell " + (c + 1) + " '" + cell + "' is not a number");
            }
        }
        return row;
    }

    /** A number as Java, C or Python print it: also "nan", "inf", "-inf" (a diverged run's loss). */
    private static double parseNumber(String cell) {
        return switch (cell.toLowerCase(java.util.Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(cell);
        };
    }

    /** Index of {@code name} in the header, or -1. */
    public int column(String name) {
        return header.indexOf(name);
    }

    /** Index of a column the format requires; fails naming the file and the columns it has. */
    public int requireColumn(String name) {
        int c = column(name);
        if (c < 0) {
            throw new PlotException(file + ": no column '" + name + "' in header " + header);
        }
        return c;
    }

    /** The values of column {@code c}, one per row. */
    public double[] values(int c) {
        double[] v = new double[rows.size()];
        for (int r = 0; r < v.length; r++) {
            v[r] = rows.get(r)[c];
        }
        return v;
    }
}
