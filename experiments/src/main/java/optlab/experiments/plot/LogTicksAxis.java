package optlab.experiments.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A vertical log axis that labels enough ticks to read values when the data span less than a few decades
 * (LogarithmicAxis labels only the powers of ten, so a loss falling from 2.3 to 0.3 showed a lone "1"): ticks
 * at m·10^k, labelled for every m when the range spans at most 1.3 decades, for m ∈ {1, 2, 5} within three, else
 * for m = 1 only; plain numbers ("0.3", "2", "50").
 */
final class LogTicksAxis extends LogarithmicAxis {
    private static final long serialVersionUID = 1L;

    LogTicksAxis(String label) {
        super(label);
        setStrictValuesFlag(false);
        setAutoRangeNextLogFlag(false);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        double lo = getRange().getLowerBound(), hi = getRange().getUpperBound();
        if (!(lo > 0) || !(hi > lo)) {
            return super.refreshTicksVertical(g2, dataArea, edge);
        }
        double decades = Math.log10(hi / lo);
        List ticks = new ArrayList<NumberTick>();
        for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
            for (int m = 1; m <= 9; m++) {
                double v = m * Math.pow(10, k);
                if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) {
                    continue;
                }
                boolean label = decades <= 1.3 || (decades <= 3 ? m == 1 || m == 2 || m == 5 : m == 1);
                ticks.add(new NumberTick(v, label ? format(v) : "", TextAnchor.CENTER_RIGHT, TextAnchor.CENTER_RIGHT, 0));
            }
        }
        return ticks;
    }

    private static String format(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(1)).stripTrailingZeros().toPlainString();
    }
}
