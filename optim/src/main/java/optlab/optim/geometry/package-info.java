/**
 * Geometry of the loss landscape along an optimization path: curvature from gradients alone
 * ({@link optlab.optim.geometry.HessianTop}: the top Hessian eigenvalue by power iteration on
 * finite-difference Hessian–vector products of a {@link optlab.optim.GradientOracle}).
 */
package optlab.optim.geometry;
