package optlab.optim.geometry;

/**
 * The inner products of one point of an optimization path from which every geometric quantity of
 * {@link GeometryStep} follows, with δ = w − w* (the offset from the end point w* = w_T), g the minibatch
 * gradient at w before the update and u = w_{t+1} − w the update actually taken. All in double.
 *
 * <p>They are kept raw, rather than as ratios, because they add: the dots of disjoint ranges of the flat
 * block sum to the dots of their union ({@link #plus}), and the weight-decay variant g + λw follows from
 * them for any λ without another pass.
 *
 * @param count  elements summed over
 * @param gDelta ⟨g, δ⟩
 * @param gSq    ‖g‖²
 * @param deltaSq ‖δ‖²
 * @param wDelta ⟨w, δ⟩ (weight-decay variant)
 * @param gW     ⟨g, w⟩ (weight-decay variant)
 * @param wSq    ‖w‖² (weight-decay variant)
 * @param uDelta ⟨u, δ⟩; NaN when the next point was not given
 * @param uSq    ‖u‖²; NaN when the next point was not given
 */
public record PathDots(long count, double gDelta, double gSq, double deltaSq, double wDelta, double gW, double wSq,
        double uDelta, double uSq) {

    /** The dots of the union of two disjoint ranges (NaN update terms stay NaN). */
    public PathDots plus(PathDots o) {
        return new PathDots(count + o.count, gDelta + o.gDelta, gSq + o.gSq, deltaSq + o.deltaSq, wDelta + o.wDelta,
                gW + o.gW, wSq + o.wSq, uDelta + o.uDelta, uSq + o.uSq);
    }

    /** Whether the update terms are known (the next point was given). */
    public boolean hasUpdate() {
        return !Double.isNaN(uSq);
    }

    /** Same dots with the update terms marked unknown. */
    PathDots withoutUpdate() {
        return new PathDots(count, gDelta, gSq, deltaSq, wDelta, gW, wSq, Double.NaN, Double.NaN);
    }

    /** The quantities for the plain gradient g. */
    public GeometryStep step() {
        return GeometryStep.of(this, 0);
    }

    /** The quantities for the decayed gradient g + λw (λ = 0: the plain gradient). */
    public GeometryStep step(double weightDecay) {
        return GeometryStep.of(this, weightDecay);
    }
}
