package optlab.experiments.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: the first column left-aligned, the others right-aligned (numbers). */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    void row(String... cells) {
        if (cells.length != rows.getFirst().length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header " + rows.getFirst().length);
        }
        rows.add(cells);
    }

    /** About three significant digits: 1234, 123.4 -&gt; 123, 12.34 -&gt; 12.3, 1.234 -&gt; 1.23, 0.1234 -&gt; 0.123; "-" for null. */
    static String num(Double v) {
        if (v == null) {
            return "-";
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(java.util.Locale.ROOT, f, v);
    }

    String render() {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            for (int c = 0; c < cols; c++) {
                String pad = " ".repeat(width[c] - r[c].length());
                sb.append(c == 0 ? r[c] + pad : "  " + pad + r[c]);
            }
            sb.append('\n');
            if (i == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                sb.append("-".repeat(total - 2)).append('\n');
            }
        }
        return sb.toString();
    }
}
