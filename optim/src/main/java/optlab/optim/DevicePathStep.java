package optlab.optim;

import optlab.optim.DensePaths.Layer;
import optlab.tensor.BufferPool;
import optlab.tensor.DType;
import optlab.tensor.Scope;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Backend;
import optlab.tensor.backend.BinaryOp;
import optlab.tensor.backend.UnaryOp;

/**
 * Path-SGD's step over a dense chain on a device backend, from the Backend's own ops (the host's fused path kernels
 * read host memory). The same passes as the host kernels, one op at a time: with A_k = |W_k|^p (p = 2: W², p = 1:
 * |W|) and c_k = m_k^p,
 * <pre>
 *   forward   γ_0 = 1,  γ_{k+1} = c_k·(A_k γ_k + |b_k|^p)                       (GEMV by GEMM)
 *   backward  δ_L = 1,  δ'_{k+1} = c_k·δ_{k+1},  δ_k = A_kᵀ δ'_{k+1}            (old weights throughout)
 *   step      W_k[o, i] −= lr·g·(1/δ'_{k+1}[o])·(1/γ_k[i]),  b_k[o] −= lr·g·(1/δ'_{k+1}[o])
 * </pre>
 * each inverse 0 where its value is 0 (no path through the unit: no step). The rounding differs from the host
 * kernels' (other summation orders, no fused multiply-adds), so results agree to the dtype's precision, not bit for
 * bit. Holds one per-step workspace pool; one instance serves one training loop at a time.
 */
final class DevicePathStep {
    private final Layer[] layers;
    /** Never holds data: the step's scope leases device memory only, given back when it closes. */
    private final BufferPool pool = new BufferPool();

    DevicePathStep(Layer[] layers) {
        this.layers = layers;
    }

    /** One step of params (a contiguous device block) by grads at learning rate lr. */
    void step(Backend b, Tensor params, Tensor grads, double p, double lr) {
        DType dt = params.dtype();
        int n = layers.length;
        try (Scope s = Scope.open(pool)) {
            Tensor[] a = new Tensor[n], gamma = new Tensor[n + 1], delta = new Tensor[n];
            gamma[0] = b.empty(s, dt, layers[0].in(), 1);
            b.fill(gamma[0], 1);
            for (int k = 0; k < n; k++) {
                Layer l = layers[k];
                a[k] = power(b, s, weight(params, l), p);
                gamma[k + 1] = b.empty(s, dt, l.out(), 1);
                b.gemm(1, a[k], gamma[k], 0, gamma[k + 1]);
                if (l.bias() >= 0) {
                    b.binary(BinaryOp.ADD, gamma[k + 1], power(b, s, bias(params, l), p), gamma[k + 1]);
                }
                scale(b, gamma[k + 1], Math.pow(l.multiplier(), p));
            }
            Tensor d = b.empty(s, dt, layers[n - 1].out(), 1);
            b.fill(d, 1);
            for (int k = n - 1; k >= 0; k--) {
                Layer l = layers[k];
                scale(b, d, Math.pow(l.multiplier(), p));
                delta[k] = d; // δ'_{k+1}
                if (k > 0) {
                    d = b.empty(s, dt, l.in(), 1);
                    b.gemm(1, a[k].mT(), delta[k], 0, d);
                }
            }
            Tensor zero = b.empty(s, dt);
            b.fill(zero, 0);
            for (int k = 0; k < n; k++) {
                Layer l = layers[k];
                Tensor invOut = inverse(b, s, delta[k], zero), invIn = inverse(b, s, gamma[k], zero).reshape(1, l.in());
                Tensor t = b.empty(s, dt, l.out(), l.in());
                b.binary(BinaryOp.MUL, invOut, invIn, t);
                b.binary(BinaryOp.MUL, weight(grads, l), t, t);
                b.scalar(BinaryOp.MUL, t, -lr, t);
                Tensor w = weight(params, l);
                b.binary(BinaryOp.ADD, w, t, w);
                if (l.bias() >= 0) {
                    Tensor u = b.empty(s, dt, l.out(), 1), bv = bias(params, l);
                    b.binary(BinaryOp.MUL, bias(grads, l), invOut, u);
                    b.scalar(BinaryOp.MUL, u, -lr, u);
                    b.binary(BinaryOp.ADD, bv, u, bv);
                }
            }
        }
    }

    private static Tensor weight(Tensor block, Layer l) {
        int from = Math.toIntExact(l.weight());
        return block.slice(0, from, Math.toIntExact(from + (long) l.out() * l.in())).reshape(l.out(), l.in());
    }

    private static Tensor bias(Tensor block, Layer l) {
        int from = Math.toIntExact(l.bias());
        return block.slice(0, from, from + l.out()).reshape(l.out(), 1);
    }

    /** |x|^p as the host kernels take it: x² for p = 2, |x| for p = 1. */
    private static Tensor power(Backend b, Scope s, Tensor x, double p) {
        Tensor out = b.empty(s, x.dtype(), x.shape());
        if (p == 2) {
            b.unary(UnaryOp.SQUARE, x, out);
        } else {
            b.unary(UnaryOp.ABS, x, out);
            if (p != 1) {
                b.scalar(BinaryOp.POW, out, p, out);
            }
        }
        return out;
    }

    private static void scale(Backend b, Tensor x, double c) {
        if (c != 1) {
            b.scalar(BinaryOp.MUL, x, c, x);
        }
    }

    /** 1/x where x &gt; 0, else 0. */
    private static Tensor inverse(Backend b, Scope s, Tensor x, Tensor zero) {
        Tensor mask = b.empty(s, x.dtype(), x.shape()), r = b.empty(s, x.dtype(), x.shape());
        Tensor out = b.empty(s, x.dtype(), x.shape());
        b.scalar(BinaryOp.GREATER, x, 0, mask);
        b.unary(UnaryOp.RECIPROCAL, x, r);
        b.where(mask, r, zero, out);
        return out;
    }
}
