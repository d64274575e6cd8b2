/**
 * Geometry of the loss landscape along an optimization path: curvature from gradients alone
 * ({@link optlab.optim.geometry.HessianTop}: the top Hessian eigenvalue by power iteration on
 * finite-difference Hessian–vector products of a {@link optlab.optim.GradientOracle}), and how
 * each step relates to the path's end point w* ({@link optlab.optim.geometry.PathGeometry}: one pass over
 * w_t, g_t, w* and w_{t+1} gives the {@link optlab.optim.geometry.PathDots}, from which
 * {@link optlab.optim.geometry.GeometryStep} derives RSI, EB, their cosine and the locally optimal
 * learning rate, overall or per {@link optlab.optim.ParamRange}; {@link
 * optlab.optim.geometry.RandomBaseline} gives the cosine a random direction would show).
 */
package optlab.optim.geometry;
