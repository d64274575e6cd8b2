package optlab.optim.transform;

/**
 * u ← u + λ·p. Before a preconditioner this is L2 regularization folded into the gradient (torch's
 * {@code weight_decay} in SGD, Adam, Adagrad, RMSprop); after it, the decoupled decay of AdamW
 * (Loshchilov and Hutter): p − lr·(u + λp) = (1 − lr·λ)·p − lr·u.
 */
public record AddDecayedWeights(double weightDecay) implements Transform {
}
