package optlab.experiments.distancenets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.experiments.plot.CsvTable;

/**
 * Per-layer gradient norms of one run from its grad_norms.csv: the norms of a layer's tensors (a distance layer's
 * centroids and widths, a Linear's weight and bias) combined as √Σ‖g‖², layers numbered 1 (input side) to L + 1
 * (output) in state-dict order; row 0 is at initialization, row 1 after the first epoch (when the run had one).
 */
record GradientFlow(List<String> layers, double[] atInit, double[] afterEpoch) {

    static final String FILE = "grad_norms.csv";

    /** Null when the run wrote no grad_norms.csv. */
    static GradientFlow read(Path runFolder) {
        Path f = runFolder.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        CsvTable t = CsvTable.read(f);
        Map<String, List<Integer>> byLayer = new LinkedHashMap<>();
        for (int c = 0; c < t.header().size(); c++) {
            String name = t.header().get(c);
            int dot = name.lastIndexOf('.');
            if (dot > 0) {
                byLayer.computeIfAbsent(name.substring(0, dot), k -> new ArrayList<>()).add(c);
            }
        }
        List<String> layers = new ArrayList<>(byLayer.keySet());
        double[] init = layerNorms(t, 0, byLayer), after = t.rows().size() > 1 ? layerNorms(t, 1, byLayer) : null;
        return new GradientFlow(layers, init, after);
    }

    private static double[] layerNorms(CsvTable t, int row, Map<String, List<Integer>> byLayer) {
        double[] r = t.rows().get(row);
        double[] out = new double[byLayer.size()];
        int i = 0;
        for (List<Integer> cols : byLayer.values()) {
            double s = 0;
            for (int c : cols) {
                s += r[c] * r[c];
            }
            out[i++] = Math.sqrt(s);
        }
        return out;
    }

    /** 1, 2, ..., L + 1: the x values of a plot against layer. */
    double[] layerNumbers() {
        double[] x = new double[layers.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** ‖g‖ of the first layer over ‖g‖ of the last, at init: how much gradient reaches the input side. */
    double firstOverLast() {
        return atInit[0] / atInit[atInit.length - 1];
    }
}
