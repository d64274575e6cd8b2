package optlab.tensor.cpu;

import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.TestTensors;

/** Memory layouts a kernel test puts the same logical values in; each view's strides or offset differ. */
enum Layout {
    /** Dense row-major, offset 0. */
    CONTIGUOUS,
    /** Every other element along the last axis after one element of offset ({@link TestTensors#strided}). */
    STRIDED,
    /** A window of a wider tensor: offset 2 and rows padded by 3, so vectors start unaligned. */
    SLICED,
    /** The transpose of a dense tensor with the last two axes swapped (rank ≥ 2; else like STRIDED). */
    TRANSPOSED;

    /** A view in this layout holding {@code values}' elements. */
    Tensor of(Scope scope, Tensor values) {
        int[] shape = values.shape();
        int r = shape.length;
        Tensor view = switch (this) {
            case CONTIGUOUS -> scope.empty(values.dtype(), shape);
            case STRIDED -> TestTensors.strided(scope, values);
            case SLICED -> {
                if (r == 0) {
                    yield scope.empty(values.dtype(), shape);
                }
                int[] wide = shape.clone();
                wide[r - 1] += 3;
                yield scope.full(values.dtype(), Double.NaN, wide).slice(r - 1, 2, 2 + shape[r - 1]);
            }
            case TRANSPOSED -> {
                if (r < 2) {
                    yield TestTensors.strided(scope, values);
                }
                int[] swapped = shape.clone();
                swapped[r - 1] = shape[r - 2];
                swapped[r - 2] = shape[r - 1];
                yield scope.full(values.dtype(), Double.NaN, swapped).mT();
            }
        };
        view.copyFrom(values);
        return view;
    }
}
