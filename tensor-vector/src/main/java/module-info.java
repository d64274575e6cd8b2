/**
 * Data and arithmetic: off-heap strided tensors (F32, F64), the {@link optlab.tensor.backend.Backend}
 * kernels behind one interface, and reverse-mode autodiff. Kernels and bindings stay internal.
 */
module optlab.tensor {
    requires transitive jdk.incubator.vector;

    exports optlab.tensor;
    exports optlab.tensor.autodiff;
    exports optlab.tensor.backend;
    // Vector width and lane helpers for optim's update loops, so both modules read -Doptlab.vector one way.
    exports optlab.tensor.simd to optlab.optim;
    // The fused-update stage list: optim lowers its chains to it and hands it to Backend.update.
    exports optlab.tensor.update to optlab.optim;
}
