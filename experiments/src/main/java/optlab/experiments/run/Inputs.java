package optlab.experiments.run;

import optlab.tensor.Tensor;

/** How a batch of samples is presented to a model: as stored ([B, C, H, W]) or flattened to [B, D] for an MLP. */
final class Inputs {
    private Inputs() {
    }

    /** {@code x} [B, ...] as [B, D] when {@code flatten}; x is contiguous, so this is a view. */
    static Tensor shape(Tensor x, boolean flatten) {
        if (!flatten || x.rank() == 2) {
            return x;
        }
        int b = x.dim(0);
        long d = b == 0 ? 0 : x.numel() / b;
        return x.reshape(b, Math.toIntExact(d));
    }

    /** MLPs take flat inputs; every other zoo family takes the samples' own shape. */
    static boolean flattens(String modelSpec) {
        return modelSpec.trim().startsWith("mlp:");
    }
}
