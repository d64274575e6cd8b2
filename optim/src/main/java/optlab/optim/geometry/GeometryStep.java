package optlab.optim.geometry;

/**
 * The geometry of one step t of an optimization path relative to its end point w* = w_T (Guille-Escuret
 * et al., "No Wrong Turns: The Simple Geometry Of Neural Networks Optimization Paths", ICML 2024): how
 * well the gradient g, or the decayed gradient g + λw, points from w_t towards w*, and how far the
 * update actually taken moves towards it.
 *
 * <h2>Formulas</h2>
 * With δ = w_t − w*, ĝ = g + λ w_t (ĝ = g when λ = 0) and u = w_{t+1} − w_t, from the dots of {@link PathDots}:
 * <pre>
 *   ⟨ĝ, δ⟩ = ⟨g, δ⟩ + λ⟨w, δ⟩        ‖ĝ‖² = ‖g‖² + 2λ⟨g, w⟩ + λ²‖w‖²   (clamped at 0 against rounding)
 *   distance = ‖δ‖                    gradNorm = ‖ĝ‖
 *   RSI  = ⟨ĝ, δ⟩ / ‖δ‖²              (restricted secant inequality: ⟨ĝ, δ⟩ ≥ μ‖δ‖² holds with μ = RSI)
 *   EB   = ‖ĝ‖ / ‖δ‖                  (error bound: ‖ĝ‖ ≤ L‖δ‖ holds with L = EB)
 *   cos  = RSI / EB = ⟨ĝ, δ⟩ / (‖ĝ‖‖δ‖)   cosine between ĝ and w_t − w*, i.e. between −ĝ and w* − w_t
 *   loLR = RSI / EB² = ⟨ĝ, δ⟩ / ‖ĝ‖²   the η minimizing ‖w_t − η ĝ − w*‖ (the locally optimal learning rate)
 *   updateNorm = ‖u‖,  updateDot = ⟨u, δ⟩,  updateCos = −⟨u, δ⟩ / (‖u‖‖δ‖)   cosine between u and w* − w_t
 * </pre>
 * For gradient descent with learning rate η and no momentum, u = −η ĝ, so updateCos = cos.
 *
 * <h2>Degenerate points</h2>
 * At the last point of the path (and wherever w_t = w* exactly) ‖δ‖ = 0 and the direction to w* is
 * undefined: rsi, eb, cos, loLR and updateCos are then NaN (distance is 0). cos and loLR are also NaN when
 * ĝ = 0, and updateCos when u = 0. The update fields are NaN when the next point was not given.
 * With weight decay, ‖ĝ‖² is formed from three dots, so when ‖ĝ‖ ≪ ‖g‖ + λ‖w‖ it keeps only the absolute
 * accuracy ε·(‖g‖ + λ‖w‖)² of double rounding.
 *
 * @param weightDecay λ used for ĝ (0: the plain gradient)
 * @param distance    ‖w_t − w*‖
 * @param gradNorm    ‖ĝ‖
 * @param rsi         ⟨ĝ, δ⟩ / ‖δ‖²
 * @param eb          ‖ĝ‖ / ‖δ‖
 * @param cos         ⟨ĝ, δ⟩ / (‖ĝ‖‖δ‖)
 * @param loLR        ⟨ĝ, δ⟩ / ‖ĝ‖²
 * @param updateNorm  ‖w_{t+1} − w_t‖
 * @param updateDot   ⟨w_{t+1} − w_t, w_t − w*⟩ (negative when the update moves towards w*)
 * @param updateCos   cosine between w_{t+1} − w_t and w* − w_t
 */
public record GeometryStep(double weightDecay, double distance, double gradNorm, double rsi, double eb, double cos,
        double loLR, double updateNorm, double updateDot, double updateCos) {

    /** The quantities of the dots {@code d} for ĝ = g + λw; the formulas are in the class comment. */
    public static GeometryStep of(PathDots d, double weightDecay) {
        if (!Double.isFinite(weightDecay) || weightDecay < 0) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
        double lambda = weightDecay;
        double gd = d.gDelta() + lambda * d.wDelta();
        double gg = lambda == 0 ? d.gSq() : Math.max(0, d.gSq() + 2 * lambda * d.gW() + lambda * lambda * d.wSq());
        double dd = d.deltaSq();
        double distance = Math.sqrt(dd);
        double gradNorm = Math.sqrt(gg);
        double updateNorm = Math.sqrt(d.uSq());
        if (dd == 0) {
            return new GeometryStep(lambda, distance, gradNorm, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    updateNorm, d.uDelta(), Double.NaN);
        }
        double rsi = gd / dd;
        double eb = gradNorm / distance;
        double cos = gradNorm == 0 ? Double.NaN : gd / (gradNorm * distance);
        double loLR = gg == 0 ? Double.NaN : gd / gg;
        double updateCos = updateNorm == 0 ? Double.NaN : -d.uDelta() / (updateNorm * distance);
        return new GeometryStep(lambda, distance, gradNorm, rsi, eb, cos, loLR, updateNorm, d.uDelta(), updateCos);
    }
}
