package optlab.tensor.autodiff.ops;

import optlab.tensor.Tensor;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/**
 * y = op(x) for every {@link UnaryOp}. The switch in {@link #backward} is exhaustive over the enum,
 * so a new elementwise function does not compile until it has its derivative here.
 */
public final class Unary implements Primitive {
    private final UnaryOp op;

    public Unary(UnaryOp op) {
        this.op = op;
    }

    @Override
    public String name() {
        return op.name().toLowerCase();
    }

    @Override
    public Tensor forward(OpContext ctx, Tensor[] in) {
        return ctx.unary(op, in[0]);
    }

    @Override
    public Tensor[] backward(OpContext ctx, Tensor g, Tensor[] in, Tensor out, boolean[] need) {
        Tensor x = in[0];
        Tensor gx = switch (op) {
            case NEG -> ctx.unary(UnaryOp.NEG, g);
            case ABS -> signTimes(ctx, x, g);
            case EXP -> ctx.binary(BinaryOp.MUL, g, out); // e^x' = e^x
            case LOG -> ctx.binary(BinaryOp.DIV, g, x);
            case SQRT -> ctx.scalar(BinaryOp.MUL, ctx.binary(BinaryOp.DIV, g, out), 0.5); // 1 / (2√x)
            case SQUARE -> ctx.scalar(BinaryOp.MUL, ctx.binary(BinaryOp.MUL, g, x), 2);
            case RECIPROCAL -> ctx.unary(UnaryOp.NEG, ctx.binary(BinaryOp.MUL, g, ctx.unary(UnaryOp.SQUARE, out)));
            case RELU -> ctx.binary(BinaryOp.RELU_BACKWARD, x, g);
            case GELU -> ctx.binary(BinaryOp.GELU_BACKWARD, x, g);
            case GELU_TANH -> ctx.binary(BinaryOp.GELU_TANH_BACKWARD, x, g);
            case TANH -> ctx.binary(BinaryOp.TANH_BACKWARD, out, g);
            case SIGMOID -> ctx.binary(BinaryOp.SIGMOID_BACKWARD, out, g);
        };
        return new Tensor[] {gx};
    }

    /** g·sign(x), with sign(0) = 0 as in PyTorch. */
    private static Tensor signTimes(OpContext ctx, Tensor x, Tensor g) {
        Tensor zero = ctx.zero(x.dtype());
        Tensor positive = ctx.scalar(BinaryOp.GREATER, x, 0);
        Tensor negative = ctx.scalar(BinaryOp.GREATER, ctx.unary(UnaryOp.NEG, x), 0);
        Tensor upOrZero = ctx.where(positive, g, zero, x.shape());
        return ctx.where(negative, ctx.unary(UnaryOp.NEG, g), upOrZero, x.shape());
    }
}
