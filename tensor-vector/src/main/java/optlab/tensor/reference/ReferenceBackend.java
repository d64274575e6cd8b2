package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.backend.UnaryOp;

/**
 * Plain scalar loops, one thread, accumulating in double: the oracle every fast kernel is tested
 * against, and the fallback when {@code -Doptlab.vector=scalar} is forced. Clarity over speed.
 */
public final class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String describe() {
        return "reference: plain scalar loops, 1 thread";
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        RefElementwise.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        RefElementwise.fill(dst, value);
    }

    @Override
    public void gemm(double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        RefGemm.gemm(alpha, a, b, beta, c);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        RefElementwise.unary(op, x, out);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        RefElementwise.binary(op, a, b, out);
    }

    @Override
    public void scalar(BinaryOp op, Tensor a, double s, Tensor out) {
        RefElementwise.scalar(op, a, s, out);
    }

    @Override
    public void clamp(Tensor x, double lo, double hi, Tensor out) {
        RefElementwise.clamp(x, lo, hi, out);
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        RefElementwise.where(mask, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor out) {
        RefReduce.reduce(op, x, out);
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        RefReduce.argmax(x, axis, out);
    }

    @Override
    public void moments(Tensor x, Tensor mean, Tensor var, int correction) {
        RefReduce.moments(x, mean, var, correction);
    }

    @Override
    public void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor out, Tensor mean, Tensor var) {
        RefNorm.batchNorm(x, gamma, beta, eps, out, mean, var);
    }

    @Override
    public void batchNormBackward(Tensor gOut, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps, Tensor gx,
            Tensor gGamma, Tensor gBeta) {
        RefNorm.batchNormBackward(gOut, x, mean, var, gamma, eps, gx, gGamma, gBeta);
    }

    @Override
    public void softmax(Tensor x, int axis, Tensor out) {
        RefSoftmax.softmax(x, axis, out);
    }

    @Override
    public void logSoftmax(Tensor x, int axis, Tensor out) {
        RefSoftmax.logSoftmax(x, axis, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        RefSoftmax.softmaxBackward(y, gy, axis, gx);
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor gy, int axis, Tensor gx) {
        RefSoftmax.logSoftmaxBackward(y, gy, axis, gx);
    }

    @Override
    public double crossEntropy(Tensor logits, Tensor target, Tensor grad) {
        return RefSoftmax.crossEntropy(logits, target, grad);
    }

    @Override
    public double mse(Tensor a, Tensor b, Tensor grad) {
        return RefSoftmax.mse(a, b, grad);
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        RefConv.conv2d(x, w, bias, spec, out);
    }

    @Override
    public void conv2dBackwardInput(Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        RefConv.backwardInput(gOut, w, spec, gx);
    }

    @Override
    public void conv2dBackwardWeight(Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        RefConv.backwardWeight(gOut, x, spec, gw, gBias);
    }

    @Override
    public void maxPool2d(Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        RefPool.maxPool2d(x, spec, out, argmax);
    }

    @Override
    public void maxPool2dBackward(Tensor gOut, Tensor argmax, Tensor gx) {
        RefPool.maxPool2dBackward(gOut, argmax, gx);
    }

    @Override
    public void avgPool2d(Tensor x, Pool2dSpec spec, Tensor out) {
        RefPool.avgPool2d(x, spec, out);
    }

    @Override
    public void avgPool2dBackward(Tensor gOut, Pool2dSpec spec, Tensor gx) {
        RefPool.avgPool2dBackward(gOut, spec, gx);
    }

    @Override
    public void pairwiseSqDist(Tensor x, Tensor c, Tensor w, Tensor out) {
        RefDistance.pairwiseSqDist(x, c, w, out);
    }

    @Override
    public void pairwiseSqDistBackward(Tensor g, Tensor x, Tensor c, Tensor w, Tensor gx, Tensor gc, Tensor gw) {
        RefDistance.backward(g, x, c, w, gx, gc, gw);
    }

    @Override
    public void close() {
    }
}
