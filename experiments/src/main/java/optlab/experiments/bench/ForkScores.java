package optlab.experiments.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The score of each forked JVM (its mean over measurement iterations). Forks differ by JIT
 * decisions, memory placement and neighbours on the machine, so the spread across forks is the
 * honest error bar; the median is the headline figure.
 */
public record ForkScores(List<Double> perFork) {
    /** A fork this far below the median marks the figure as unstable. */
    static final double SLOW_FORK_FRACTION = 0.8;

    public ForkScores {
        if (perFork.isEmpty()) {
            throw new IllegalArgumentException("no fork scores");
        }
        perFork = List.copyOf(perFork);
    }

    private double[] sorted() {
        double[] s = perFork.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s;
    }

    public double min() {
        return sorted()[0];
    }

    public double max() {
        double[] s = sorted();
        return s[s.length - 1];
    }

    public double median() {
        double[] s = sorted();
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }

    /** True when the slowest fork is more than 20% below the median. */
    public boolean unstable() {
        return min() < SLOW_FORK_FRACTION * median();
    }

    /** The same scores in other units, e.g. invocations/s times work per invocation. */
    public ForkScores scaled(double factor) {
        return new ForkScores(perFork.stream().map(v -> v * factor).toList());
    }

    /** "min/median/max" to about three digits, and a '!' when unstable. */
    public String spread() {
        return Table.num(min()) + "/" + Table.num(median()) + "/" + Table.num(max()) + (unstable() ? " !" : "");
    }
}
