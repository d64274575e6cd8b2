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
