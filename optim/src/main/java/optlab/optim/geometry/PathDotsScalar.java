package optlab.optim.geometry;

import optlab.tensor.DType;
import optlab.tensor.Tensor;

/**
 * The oracle for {@link PathDotsKernel}: the same dots element by element in double, in index order,
 * straight from the definitions.
 */
final class PathDotsScalar {
    private PathDotsScalar() {
    }

    /** As {@link PathDotsKernel#dots}. */
    static PathDots dots(Tensor w, Tensor g, Tensor wStar, Tensor next, long from, long n) {
        DType t = w.dtype();
        double gd = 0, gg = 0, dd = 0, wd = 0, gw = 0, ww = 0, ud = 0, uu = 0;
        for (long i = from; i < from + n; i++) {
            double wi = t.get(w.segment(), w.offset() + i);
            double gi = t.get(g.segment(), g.offset() + i);
            double di = wi - t.get(wStar.segment(), wStar.offset() + i);
            double ui = t.get(next.segment(), next.offset() + i) - wi;
            gd += gi * di;
            gg += gi * gi;
            dd += di * di;
            wd += wi * di;
            gw += gi * wi;
            ww += wi * wi;
            ud += ui * di;
            uu += ui * ui;
        }
        return new PathDots(n, gd, gg, dd, wd, gw, ww, ud, uu);
    }
}
