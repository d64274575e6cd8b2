package optlab.optim;

import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;

/**
 * What a Path-SGD state carries besides the step count: the model's path structure and, for
 * structures without a fused step, a reusable κ block (allocated on first use, never per step).
 * Neither is saved with the state; a reloaded state gets its structure back through
 * {@link PathSGD#attach}.
 */
final class PathContext implements AutoCloseable {
    private final PathStructure structure;
    private final Scope scope = Scope.open();
    private Tensor kappa;

    PathContext(PathStructure structure) {
        this.structure = java.util.Objects.requireNonNull(structure, "path structure");
    }

    PathStructure structure() {
        return structure;
    }

    /** The κ scratch block for params of this dtype and size. */
    Tensor kappa(DType dtype, long numel) {
        if (kappa == null || kappa.dtype() != dtype || kappa.numel() != numel) {
            kappa = scope.zeros(dtype, Math.toIntExact(numel));
        }
        return kappa;
    }

    @Override
    public void close() {
        scope.close();
    }
}
