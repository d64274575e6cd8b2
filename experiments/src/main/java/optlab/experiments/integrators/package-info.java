/**
 * The "gradient descent as a numerical integrator" reproduction ({@code optlab run integrators}; Ma et al., arXiv
 * 2409.04707): explicit Runge–Kutta and Adams–Bashforth rules against SGD (= forward Euler) on the same models, at
 * equal epochs and at equal gradient evaluations, with their seed spread, cost and largest stable step
 * ({@link optlab.experiments.integrators.Recipe}), and Euler's modified flow on a tiny net
 * ({@link optlab.experiments.integrators.ModifiedFlow}).
 */
package optlab.experiments.integrators;
