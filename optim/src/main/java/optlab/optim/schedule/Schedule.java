package optlab.optim.schedule;

/**
 * A learning-rate schedule as a pure function of the step (or epoch) count t = 0, 1, 2, …: the lr to
 * use for step t. Closed forms of torch.optim.lr_scheduler, without its mutable chaining.
 */
@FunctionalInterface
public interface Schedule {
    double lr(long t);
}
