package optlab.tensor.cpu;

import optlab.tensor.Tensor;
import optlab.tensor.backend.ReduceOp;

/** Stub: to be implemented. */
final class CpuReduce {
    private CpuReduce() {
    }

    static void reduce(Parallel parallel, ReduceOp op, Tensor x, Tensor out) {
        throw new UnsupportedOperationException("CpuReduce.reduce not implemented yet");
    }

    static void argmax(Parallel parallel, Tensor x, int axis, Tensor out) {
        throw new UnsupportedOperationException("CpuReduce.argmax not implemented yet");
    }

    static void moments(Parallel parallel, Tensor x, Tensor mean, Tensor var, int correction) {
        throw new UnsupportedOperationException("CpuReduce.moments not implemented yet");
    }
}
