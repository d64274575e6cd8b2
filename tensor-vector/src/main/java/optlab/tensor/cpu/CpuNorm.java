package optlab.tensor.cpu;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.internal.NormGeometry;

/**
 * Batch normalization as one kernel per direction instead of a dozen composed elementwise ops and
 * their full-size intermediates. Channels are independent, so work splits over them; a channel's
 * values are runs along the last axis of x viewed as [N, C, H, W] (x [N, C] as [N, C, 1, 1]):
 * <pre>
 *   forward   mean (pass 1), biased var of x − mean (pass 2), out = (x − mean)·γ/σ + β (pass 3)
 *   backward  Σ g and Σ g·(x − mean) (pass 1), gx = γ/σ·(g − Σg/M − x̂·Σ g·x̂/M) (pass 2)
 * </pre>
 * with σ = √(var + eps) and M values per channel; {@link NormF32}, {@link NormF64} hold the passes.
 */
final class CpuNorm {
    /** Values per channel below which the channels are not worth splitting over the team. */
    private static final long PARALLEL_MIN = 1L << 14;

    private CpuNorm() {
    }

    static void batchNorm(CpuBackend backend, Tensor x, Tensor gamma, Tensor beta, double eps, Tensor out,
            Tensor mean, Tensor var) {
        NormGeometry g = NormGeometry.forward(x, gamma, beta, out, mean, var);
        Tensor x4 = as4d("batchNorm", x), o4 = as4d("batchNorm", out);
        boolean merge = mergeable(x4, o4);
        int rows = merge ? 1 : x4.dim(2), len = merge ? x4.dim(2) * x4.dim(3) : x4.dim(3);
        boolean f32 = x.dtype() == DType.F32;
        double count = g.perChannel();
        forChannels(backend, g, c -> {
            // Pass 1 sums x − (its first value), so F32 lanes add small numbers even for a large mean.
            double shift = count == 0 ? 0 : x.dtype().get(x4.segment(), run(x4, 0, c, 0));
            double s = 0;
            for (int n = 0; n < x4.dim(0); n++) {
                for (int h = 0; h < rows; h++) {
                    long at = run(x4, n, c, h);
                    s += f32 ? NormF32.sum(x4.segment(), at, x4.stride(3), len, shift)
                            : NormF64.sum(x4.segment(), at, x4.stride(3), len, shift);
                }
            }
            double mu = shift + s / count, q = 0;
            for (int n = 0; n < x4.dim(0); n++) {
                for (int h = 0; h < rows; h++) {
                    long at = run(x4, n, c, h);
                    q += f32 ? NormF32.sumSquares(x4.segment(), at, x4.stride(3), len, mu)
                            : NormF64.sumSquares(x4.segment(), at, x4.stride(3), len, mu);
                }
            }
            double v = q / count;
            mean.set(mu, c);
            var.set(v, c);
            double a = (gamma == null ? 1 : gamma.get(c)) / Math.sqrt(v + eps), b = beta == null ? 0 : beta.get(c);
            for (int n = 0; n < x4.dim(0); n++) {
                for (int h = 0; h < rows; h++) {
                    long xa = run(x4, n, c, h), oa = run(o4, n, c, h);
                    if (f32) {
                        NormF32.affine(x4.segment(), xa, x4.stride(3), o4.segment(), oa, o4.stride(3), len, mu, a, b);
                    } else {
                        NormF64.affine(x4.segment(), xa, x4.stride(3), o4.segment(), oa, o4.stride(3), len, mu, a, b);
                    }
                }
            }
        });
    }

    static void batchNormBackward(CpuBackend backend, Tensor gOut, Tensor x, Tensor mean, Tensor var, Tensor gamma,
            double eps, Tensor gx, Tensor gGamma, Tensor gBeta) {
        NormGeometry g = NormGeometry.backward(gOut, x, mean, var, gamma, gx, gGamma, gBeta);
        String op = "batchNormBackward";
        Tensor x4 = as4d(op, x), g4 = as4d(op, gOut), d4 = gx == null ? null : as4d(op, gx);
        boolean merge = mergeable(x4, g4, d4);
        int rows = merge ? 1 : x4.dim(2), len = merge ? x4.dim(2) * x4.dim(3) : x4.dim(3);
        boolean f32 = x.dtype() == DType.F32;
        double count = g.perChannel();
        forChannels(backend, g, c -> {
            double mu = mean.get(c), r = 1 / Math.sqrt(var.get(c) + eps);
            double[] sums = new double[2];
            for (int n = 0; n < x4.dim(0); n++) {
                for (int h = 0; h < rows; h++) {
                    long ga = run(g4, n, c, h), xa = run(x4, n, c, h);
                    if (f32) {
                        NormF32.gradientSums(g4.segment(), ga, g4.stride(3), x4.segment(), xa, x4.stride(3), len,
                                mu, sums);
                    } else {
                        NormF64.gradientSums(g4.segment(), ga, g4.stride(3), x4.segment(), xa, x4.stride(3), len,
                                mu, sums);
                    }
                }
            }
            if (gGamma != null) {
                gGamma.set(sums[1] * r, c);
            }
            if (gBeta != null) {
                gBeta.set(sums[0], c);
            }
            if (d4 == null) {
                return;
            }
            double scale = (gamma == null ? 1 : gamma.get(c)) * r;
            double a = scale, b = -scale * r * r * sums[1] / count, d = -scale * sums[0] / count;
            for (int n = 0; n < x4.dim(0); n++) {
                for (int h = 0; h < rows; h++) {
                    long ga = run(g4, n, c, h), xa = run(x4, n, c, h), oa = run(d4, n, c, h);
                    if (f32) {
                        NormF32.gradient(g4.segment(), ga, g4.stride(3), x4.segment(), xa, x4.stride(3), d4.segment(), oa,
                                d4.stride(3), len, mu, a, b, d);
                    } else {
                        NormF64.gradient(g4.segment(), ga, g4.stride(3), x4.segment(), xa, x4.stride(3), d4.segment(), oa,
                                d4.stride(3), len, mu, a, b, d);
                    }
                }
            }
        });
    }

    /** t [N, C, ...] as [N, C, H, W]: axes of size 1 added up to rank 4, a contiguous tail merged beyond. */
    private static Tensor as4d(String op, Tensor t) {
        return switch (t.rank()) {
            case 2 -> t.unsqueeze(2).unsqueeze(3);
            case 3 -> t.unsqueeze(2);
            case 4 -> t;
            default -> {
                if (!t.isContiguous()) {
                    throw new IllegalArgumentException(op + ": the cpu backend needs contiguous tensors beyond rank 4, got "
                            + java.util.Arrays.toString(t.shape()) + " strides " + java.util.Arrays.toString(t.strides()));
                }
                yield t.reshape(t.dim(0), t.dim(1), 1, -1);
            }
        };
    }

    /**
     * Whether every (non-null) [N, C, H, W] view lays each plane out as one run, so the kernels can
     * treat it as [N, C, 1, H·W] and small feature maps (4×4) still give vector-length runs.
     */
    private static boolean mergeable(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null && t.dim(2) > 1 && t.stride(2) != t.dim(3) * t.stride(3)) {
                return false;
            }
        }
        return true;
    }

    /** Element offset of the run t[n, c, h, :]. */
    private static long run(Tensor t, int n, int c, int h) {
        return t.offset() + n * t.stride(0) + c * t.stride(1) + h * t.stride(2);
    }

    /**
     * body(c) for every channel, over the team when there is enough work, in tasks of whole channels
     * with at least PARALLEL_MIN / 4 values each, so many short channels (a layer norm's rows) do
     * not pay a hand-off per channel.
     */
    private static void forChannels(CpuBackend backend, NormGeometry g, java.util.function.IntConsumer body) {
        if (g.perChannel() * g.c() >= PARALLEL_MIN) {
            int per = (int) Math.clamp(PARALLEL_MIN / 4 / Math.max(1, g.perChannel()), 1, g.c());
            int tasks = Math.ceilDiv(g.c(), per);
            backend.parallel().forEach(tasks, t -> {
                for (int c = t * per, end = Math.min(g.c(), c + per); c < end; c++) {
                    body.accept(c);
                }
            });
        } else {
            for (int c = 0; c < g.c(); c++) {
                body.accept(c);
            }
        }
    }
}
