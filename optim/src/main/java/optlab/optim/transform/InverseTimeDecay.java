package optlab.optim.transform;

/** u ← u / (1 + (t − 1)·decay) at step t = 1, 2, …: torch.optim.Adagrad's {@code lr_decay}. */
public record InverseTimeDecay(double decay) implements Transform {
}
