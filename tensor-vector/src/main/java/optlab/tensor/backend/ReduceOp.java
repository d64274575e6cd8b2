package optlab.tensor.backend;

/** Reductions over the axes where the output has size 1. */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN
}
