package optlab.optim.geometry;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optlab.optim.ParamRange;
import optlab.optim.internal.Team;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.simd.VectorSupport;

/**
 * Measures a point of an optimization path against its end point: one streaming pass over the flat
 * blocks w_t, g_t, w* = w_T and (optionally) w_{t+1} gives the {@link PathDots}, from which
 * {@link GeometryStep} derives RSI, EB, their cosine, the locally optimal learning rate and the update's
 * progress, for the plain and the weight-decayed gradient alike.
 *
 * <p>Inputs are contiguous tensors (any shape, any offset: views of a parameter block are fine) of one
 * dtype, F32 or F64, with the same number of elements; nothing is copied and nothing is written. Sums are
 * in double and deterministic for a given vector width (see {@link PathDotsKernel}).
 *
 * <pre>{@code
 * PathDots dots = PathGeometry.dots(w, g, wStar, wNext);   // after backward and after the update
 * GeometryStep plain = dots.step();                        // RSI, EB, cos, loLR of g
 * GeometryStep decayed = dots.step(5e-4);                  // the same for g + λw
 * }</pre>
 */
public final class PathGeometry {
    private PathGeometry() {
    }

    /**
     * The dots over the whole block.
     *
     * @param w     w_t, the parameters at which g was computed
     * @param g     g_t, the minibatch gradient at w_t (before the update)
     * @param wStar the end point of the path
     * @param next  w_{t+1}, or null when the update is not known (its terms are then NaN)
     */
    public static PathDots dots(Tensor w, Tensor g, Tensor wStar, Tensor next) {
        return dots(Team.CALLER, w, g, wStar, next);
    }

    /**
     * {@link #dots(Tensor, Tensor, Tensor, Tensor)} with long blocks split over {@code backend}'s threads (the run's
     * own team, so a one-thread run uses one core); the result is the same bits on any team.
     */
    public static PathDots dots(Backend backend, Tensor w, Tensor g, Tensor wStar, Tensor next) {
        return dots(Team.of(backend), w, g, wStar, next);
    }

    private static PathDots dots(Team team, Tensor w, Tensor g, Tensor wStar, Tensor next) {
        check(w, g, wStar, next);
        return measure(team, w, g, wStar, next, 0, w.numel());
    }

    /** {@code dots(w, g, wStar, next).step(weightDecay)}. */
    public static GeometryStep step(Tensor w, Tensor g, Tensor wStar, Tensor next, double weightDecay) {
        return dots(w, g, wStar, next).step(weightDecay);
    }

    /**
     * The dots of each named range of the block, in the order given (one pass over each range; ranges
     * that partition the block read it once). When the ranges partition the block their dots
     * {@link PathDots#plus add up} to {@link #dots}'s, up to rounding.
     *
     * @throws IllegalArgumentException when a range reaches past the block or a name repeats
     */
    public static Map<String, PathDots> dotsByRange(Tensor w, Tensor g, Tensor wStar, Tensor next,
            List<ParamRange> ranges) {
        check(w, g, wStar, next);
        Map<String, PathDots> out = new LinkedHashMap<>();
        for (ParamRange r : ranges) {
            if (r.offset() + r.numel() > w.numel()) {
                throw new IllegalArgumentException("PathGeometry: range " + r + " reaches past the block of "
                        + w.numel() + " elements");
            }
            if (out.put(r.name(), measure(Team.CALLER, w, g, wStar, next, r.offset(), r.numel())) != null) {
                throw new IllegalArgumentException("PathGeometry: range name " + r.name() + " repeats");
            }
        }
        return out;
    }

    private static PathDots measure(Team team, Tensor w, Tensor g, Tensor wStar, Tensor next, long from, long n) {
        // Without w_{t+1} the pass reads w twice (the same cache lines) and the zero update is discarded.
        VectorSupport.require("the path-geometry pass");
        PathDots d = PathDotsKernel.dots(team, w, g, wStar, next == null ? w : next, from, n);
        return next == null ? d.withoutUpdate() : d;
    }

    private static void check(Tensor w, Tensor g, Tensor wStar, Tensor next) {
        flat("w", w, w);
        flat("g", g, w);
        flat("wStar", wStar, w);
        if (next != null) {
            flat("next", next, w);
        }
    }

    private static void flat(String name, Tensor t, Tensor w) {
        if (t == null) {
            throw new NullPointerException("PathGeometry: " + name + " is null");
        }
        if (!t.isContiguous()) {
            throw new IllegalArgumentException("PathGeometry: " + name + " must be a contiguous block, got strides "
                    + Arrays.toString(t.strides()) + " for shape " + Arrays.toString(t.shape()));
        }
        if (t.dtype() != w.dtype() || t.numel() != w.numel()) {
            throw new IllegalArgumentException("PathGeometry: " + name + " " + t.dtype() + Arrays.toString(t.shape())
                    + " does not match w " + w.dtype() + Arrays.toString(w.shape()));
        }
    }
}
