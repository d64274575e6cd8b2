package optlab.experiments.loop;

import optlab.optim.geometry.GeometryStep;
import optlab.optim.geometry.PathDots;

/** Cells of the geometry probes' CSV files: doubles as Java prints them, NaN (undefined) as an empty cell. */
final class GeometryCsv {
    /** The measures of one gradient at one point, in the order {@link #measures} writes them. */
    static final String MEASURES = "dist,grad_norm,inner,rsi,eb,cos,lolr";

    private GeometryCsv() {
    }

    /** ",v1,v2,..." with NaN as an empty cell. */
    static void cells(StringBuilder csv, double... values) {
        for (double v : values) {
            csv.append(',');
            if (!Double.isNaN(v)) {
                csv.append(v);
            }
        }
    }

    /** The {@link #MEASURES} cells of the plain gradient of {@code d}. */
    static void measures(StringBuilder csv, PathDots d) {
        GeometryStep g = d.step();
        cells(csv, g.distance(), g.gradNorm(), d.gDelta(), g.rsi(), g.eb(), g.cos(), g.loLR());
    }
}
