package optlab.optim;

import optlab.tensor.Tensor;

/**
 * What Path-SGD needs from a model beyond the gradient: how to run its p-th-power network, i.e. the
 * network with every weight w replaced by |w|^p, every ReLU by the identity, fed an all-ones input.
 * Biases are edges from a constant-1 unit, so |b|^p enters that network too. Implementations:
 * {@link DensePaths} (a chain of fully connected layers, the fast case) and, in optlab.models, the
 * networks {@code PathNetworks.of(model)} builds.
 */
public interface PathStructure {

    /**
     * Writes κ_e = ∂(φ_p^p)/∂(|w_e|^p) for every entry of the flat parameter block {@code params} into
     * {@code kappa} (same dtype and layout); returns φ_p^p, the sum over all input→output paths of the
     * product of |w_e|^p along the path. κ_e is the sum over the paths through e of the product of the
     * other edges' |w|^p; for a bias it is the backward value γ_out of its unit.
     */
    double kappa(Tensor params, double p, Tensor kappa);

    /** φ_p(w) = (φ_p^p)^(1/p) (may allocate scratch; used as a logged metric). */
    double pathNorm(Tensor params, double p);
}
