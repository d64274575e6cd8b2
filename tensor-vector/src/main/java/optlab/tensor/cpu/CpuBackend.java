package optlab.tensor.cpu;

import java.util.function.IntConsumer;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;
import optlab.tensor.simd.Simd;

/**
 * The default backend: kernels written with the Vector API at the width {@link Simd} chose, work
 * split over a {@link Parallel} team. Each family of kernels lives in its own class; this class
 * only routes calls.
 */
public final class CpuBackend implements Backend {
    private final Parallel parallel;
    private final Workspace workspace = new Workspace();

    public CpuBackend(int threads) {
        this.parallel = new Parallel(threads);
    }

    Parallel parallel() {
        return parallel;
    }

    /** Reused scratch buffers for kernels that need temporaries (im2col columns, staged views). */
    Workspace workspace() {
        return workspace;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String describe() {
        return "cpu: " + Simd.describe() + ", " + parallel.threads() + " thread(s)";
    }

    @Override
    public int threads() {
        return parallel.threads();
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuElementwise.copy(parallel, src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        CpuElementwise.fill(parallel, dst, value);
    }

    @Override
    public void gemm(double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        CpuGemm.gemm(parallel, alpha, a, b, beta, c);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        CpuElementwise.unary(parallel, op, x, out);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        CpuElementwise.binary(parallel, op, a, b, out);
    }

    @Override
    public void scalar(BinaryOp op, Tensor a, double s, Tensor out) {
        CpuElementwise.scalar(parallel, op, a, s, out);
    }

    @Override
    public void clamp(Tensor x, double lo, double hi, Tensor out) {
        CpuElementwise.clamp(parallel, x, lo, hi, out);
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        CpuElementwise.where(parallel, mask, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor out) {
        CpuReduce.reduce(parallel, op, x, out);
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        CpuReduce.argmax(parallel, x, axis, out);
    }

    @Override
    public void moments(Tensor x, Tensor mean, Tensor var, int correction) {
        CpuReduce.moments(parallel, x, mean, var, correction);
    }

    @Override
    public void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor out, Tensor mean, Tensor var) {
        CpuNorm.batchNorm(this, x, gamma, beta, eps, out, mean, var);
    }

    @Override
    public void batchNormBackward(Tensor gOut, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps, Tensor gx,
            Tensor gGamma, Tensor gBeta) {
        CpuNorm.batchNormBackward(this, gOut, x, mean, var, gamma, eps, gx, gGamma, gBeta);
    }

    @Override
    public void softmax(Tensor x, int axis, Tensor out) {
        CpuSoftmax.softmax(parallel, x, axis, out);
    }

    @Override
    public void logSoftmax(Tensor x, int axis, Tensor out) {
        CpuSoftmax.logSoftmax(parallel, x, axis, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        CpuSoftmax.softmaxBackward(parallel, y, gy, axis, gx);
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        CpuSoftmax.logSoftmaxBackward(parallel, y, gy, axis, gx);
    }

    @Override
    public double crossEntropy(Tensor logits, Tensor target, Tensor grad) {
        return CpuSoftmax.crossEntropy(parallel, logits, target, grad);
    }

    @Override
    public double mse(Tensor a, Tensor b, Tensor grad) {
        return CpuSoftmax.mse(parallel, a, b, grad);
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        CpuConv.conv2d(this, x, w, bias, spec, out);
    }

    @Override
    public void conv2dBackwardInput(Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        CpuConv.backwardInput(this, gOut, w, spec, gx);
    }

    @Override
    public void conv2dBackwardWeight(Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        CpuConv.backwardWeight(this, gOut, x, spec, gw, gBias);
    }

    @Override
    public void maxPool2d(Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        CpuPool.maxPool2d(parallel, x, spec, out, argmax);
    }

    @Override
    public void maxPool2dBackward(Tensor gOut, Tensor argmax, Tensor gx) {
        CpuPool.maxPool2dBackward(parallel, gOut, argmax, gx);
    }

    @Override
    public void avgPool2d(Tensor x, Pool2dSpec spec, Tensor out) {
        CpuPool.avgPool2d(parallel, x, spec, out);
    }

    @Override
    public void avgPool2dBackward(Tensor gOut, Pool2dSpec spec, Tensor gx) {
        CpuPool.avgPool2dBackward(parallel, gOut, spec, gx);
    }

    @Override
    public void pairwiseSqDist(Tensor x, Tensor c, Tensor w, Tensor out) {
        CpuDistance.pairwiseSqDist(this, x, c, w, out);
    }

    @Override
    public void pairwiseSqDistBackward(Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        CpuDistance.backward(this, g, x, c, w, gx, gc, gw);
    }

    @Override
    public void forEachTask(int tasks, IntConsumer task) {
        parallel.forEach(tasks, task);
    }

    @Override
    public void close() {
        parallel.close();
        workspace.close();
    }
}
