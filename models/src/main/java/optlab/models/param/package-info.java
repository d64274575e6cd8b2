/**
 * Parameterizations (standard, NTK, μP with output multiplier 1/γ0 and centering by a frozen copy of
 * the initial network) and how a swept η0 becomes a learning rate; see {@link optlab.models.param.Parameterization}.
 */
package optlab.models.param;
