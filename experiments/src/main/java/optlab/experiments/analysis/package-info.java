/**
 * Analysis of sweep results: power-law fits with confidence intervals ({@link PowerLawFit}), the
 * scalar toy model of the γ paper and its η_max scan, and the top Hessian eigenvalue of a model.
 */
package optlab.experiments.analysis;
