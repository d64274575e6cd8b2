/**
 * The Path-SGD reproduction recipe ({@code optlab run path-sgd}): the grid of runs ({@link optlab.experiments.pathsgd.Recipe}),
 * presets, the step-size selection rule, the paper-layout figure and the summaries.
 */
package optlab.experiments.pathsgd;
