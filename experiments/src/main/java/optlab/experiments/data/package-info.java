/**
 * Training data: finite {@link optlab.experiments.data.Dataset}s read from IDX (MNIST, Fashion-MNIST) and
 * CIFAR binary files (images kept as 8-bit pixels off-heap and decoded as rows are copied out) or drawn from
 * synthetic tasks, {@link optlab.experiments.data.Batches} that copy rows into
 * reused batch tensors in seeded shuffled or file order, and endless seeded
 * {@link optlab.experiments.data.DataStream}s for online training. {@link optlab.experiments.data.Sources} maps
 * names such as {@code "fashion-mnist"} or {@code "cifar10:<dir>"} to datasets; {@link optlab.experiments.data.Split}
 * holds out validation data and {@link optlab.experiments.data.EpochStream} turns a finite set into a stream.
 */
package optlab.experiments.data;
