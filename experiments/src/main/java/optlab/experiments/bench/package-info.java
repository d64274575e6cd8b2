/**
 * Benchmarks beside the code, each checking its result before timing it.
 *
 * <ul>
 *   <li>{@code ./optlab bench gemm}: {@link optlab.experiments.bench.GemmBenchmark} times optlab's
 *       {@code Backend.gemm} and OpenBLAS's {@code cblas_?gemm} ({@link optlab.experiments.bench.OpenBlas},
 *       an FFM binding) on the squares 64..2048 and on the eight products of one training step of a
 *       784-4000-4000-10 MLP at batch 100 ({@link optlab.experiments.bench.GemmShape}), F32 everywhere
 *       and F64 on squares from 256, at 1 thread and all cores.</li>
 *   <li>{@code ./optlab bench ops}: {@link optlab.experiments.bench.OpsBenchmark} times memory-bound
 *       ops ({@link optlab.experiments.bench.StreamOp}) in GB/s next to a plain memory copy.</li>
 * </ul>
 *
 * <p>Both run JMH through its Runner API, one configuration at a time, in forked JVMs
 * ({@link optlab.experiments.bench.JmhLauncher}): the forks get the module path's jars as class
 * path, so they run our modules unnamed. Headline figures are medians over forks, and the spread
 * across forks is printed and stored with every result. {@code --json FILE} writes the rows as a
 * JSON list ({@link optlab.experiments.bench.GemmResult}, {@link optlab.experiments.bench.OpsResult})
 * with the machine, JDK, vector width and OpenBLAS build ({@link optlab.experiments.bench.BenchEnvironment}).
 */
package optlab.experiments.bench;
