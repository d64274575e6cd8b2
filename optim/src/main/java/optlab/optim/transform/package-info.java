/**
 * The small transformations named optimizers are composed of (momentum, preconditioning by running
 * averages, weight decay, scaling). Each is an immutable record; the state it needs is declared as
 * {@link optlab.optim.transform.StateBuffer}s and lives in an {@link optlab.optim.OptimizerState}.
 */
package optlab.optim.transform;
