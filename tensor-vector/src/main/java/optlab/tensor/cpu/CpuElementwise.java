package optlab.tensor.cpu;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;
import optlab.tensor.internal.Checks;

/**
 * Elementwise ops with broadcasting: checks arguments, then hands the work to the kernels of the
 * tensors' dtype ({@code ElementwiseF32}/{@code ElementwiseF64}, expanded from one template).
 * Inputs broadcast to out (NumPy rules) and may be any strided view; out may be exactly the same
 * view as an input (in-place ops such as x += y); partially overlapping views are undefined.
 */
final class CpuElementwise {
    private CpuElementwise() {
    }

    static void copy(Parallel parallel, Tensor src, Tensor dst) {
        Checks.broadcastsTo("copy", "src", src, dst);
        if (src.dtype() != dst.dtype()) {
            convert(parallel, src, dst);
            return;
        }
        switch (dst.dtype()) {
            case F32 -> ElementwiseF32.copy(parallel, src, dst);
            case F64 -> ElementwiseF64.copy(parallel, src, dst);
        }
    }

    static void fill(Parallel parallel, Tensor dst, double value) {
        switch (dst.dtype()) {
            case F32 -> ElementwiseF32.fill(parallel, dst, value);
            case F64 -> ElementwiseF64.fill(parallel, dst, value);
        }
    }

    static void unary(Parallel parallel, UnaryOp op, Tensor x, Tensor out) {
        String name = "unary " + op;
        Checks.sameDType(name, x, out);
        Checks.broadcastsTo(name, "x", x, out);
        switch (out.dtype()) {
            case F32 -> ElementwiseF32.unary(parallel, op, x, out);
            case F64 -> ElementwiseF64.unary(parallel, op, x, out);
        }
    }

    static void binary(Parallel parallel, BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String name = "binary " + op;
        Checks.sameDType(name, a, b, out);
        Checks.broadcastsTo(name, "a", a, out);
        Checks.broadcastsTo(name, "b", b, out);
        switch (out.dtype()) {
            case F32 -> ElementwiseF32.binary(parallel, op, a, b, out);
            case F64 -> ElementwiseF64.binary(parallel, op, a, b, out);
        }
    }

    static void scalar(Parallel parallel, BinaryOp op, Tensor a, double s, Tensor out) {
        String name = "scalar " + op;
        Checks.sameDType(name, a, out);
        Checks.broadcastsTo(name, "a", a, out);
        switch (out.dtype()) {
            case F32 -> ElementwiseF32.scalar(parallel, op, a, s, out);
            case F64 -> ElementwiseF64.scalar(parallel, op, a, s, out);
        }
    }

    static void clamp(Parallel parallel, Tensor x, double lo, double hi, Tensor out) {
        Checks.sameDType("clamp", x, out);
        Checks.broadcastsTo("clamp", "x", x, out);
        switch (out.dtype()) {
            case F32 -> ElementwiseF32.clamp(parallel, x, lo, hi, out);
            case F64 -> ElementwiseF64.clamp(parallel, x, lo, hi, out);
        }
    }

    static void where(Parallel parallel, Tensor mask, Tensor a, Tensor b, Tensor out) {
        Checks.sameDType("where", mask, a, b, out);
        Checks.broadcastsTo("where", "mask", mask, out);
        Checks.broadcastsTo("where", "a", a, out);
        Checks.broadcastsTo("where", "b", b, out);
        switch (out.dtype()) {
            case F32 -> ElementwiseF32.where(parallel, mask, a, b, out);
            case F64 -> ElementwiseF64.where(parallel, mask, a, b, out);
        }
    }

    /** F32 ↔ F64: a plain loop per row (conversions are for I/O and mixed-precision setup, not hot loops). */
    private static void convert(Parallel parallel, Tensor src, Tensor dst) {
        DType from = src.dtype(), to = dst.dtype();
        var s = src.segment();
        var d = dst.segment();
        ElementwiseLoop.of(dst, src).run(parallel, (off, str, n) -> {
            long o = off[0], i = off[1], so = str[0], si = str[1];
            for (int j = 0; j < n; j++) {
                to.set(d, o + j * so, from.get(s, i + j * si));
            }
        });
    }
}
