/**
 * Gradient descent as a numerical integrator of the gradient flow dw/dt = −∇L(w) (Ma et al., arXiv 2409.04707):
 * SGD's update is forward Euler with step h = lr, and higher-order schemes cut the truncation error per step.
 * Explicit Runge–Kutta rules by their {@link optlab.optim.integrate.ButcherTableau} (euler, heun, midpoint, ralston,
 * rk4, any tableau as "rk"), linear multistep {@link optlab.optim.integrate.AdamsBashforth} (ab2, ab3), and the
 * adaptive Bogacki–Shampine pair {@link optlab.optim.integrate.Rk23}. Rules with more than one stage call the
 * loop's {@link optlab.optim.GradientOracle} at trial points on the step's minibatch. Blocks in device memory (a state
 * {@linkplain optlab.optim.OptimizerState#runOn run on} a device backend) take the same passes from the backend's ops,
 * with the CPU's bits for the fixed-step rules and rk23's error norm to the dtype's precision.
 */
package optlab.optim.integrate;
