/**
 * Learning curves: reads run folders ({@code steps.csv}, {@code evals.csv}, {@code summary.json})
 * and draws training loss, evaluation loss and accuracy of several runs overlaid, as PNG and SVG
 * (JFreeChart, JFreeSVG).
 */
package optlab.experiments.plot;
