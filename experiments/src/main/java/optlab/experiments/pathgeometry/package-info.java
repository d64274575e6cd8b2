/**
 * The reproduction of Guille-Escuret, Naganuma, Fatras, Mitliagkas, "No Wrong Turns: The Simple Geometry Of Neural
 * Networks Optimization Paths" (ICML 2024): geometry runs over architectures, optimizers, batch sizes, learning rates,
 * widths and seeds, their figures and summary ({@code optlab run path-geometry}).
 */
package optlab.experiments.pathgeometry;
