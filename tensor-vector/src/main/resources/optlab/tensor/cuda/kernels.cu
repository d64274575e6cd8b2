/*
 * optlab's CUDA kernels, written once in the C subset shared by CUDA C++ (compiled at run time by NVRTC) and
 * C (compiled by gcc into the test stand-in, which runs each launch's threads one after another). Hence no
 * shared memory, no __syncthreads and no atomics: every thread owns its outputs, and every kernel loops
 * grid-stride so any launch shape covers the work. A reduction therefore cannot cooperate within a block;
 * instead a long one is split across launches (Reduction, Norm): threads fold fixed strided shares into double
 * partials in a workspace, the next launch folds each output's partials in a fixed order. The split depends
 * on the sizes only, so every result is the same whatever the launch shape, on the GPU and in the stand-in.
 * The target's prelude defines KERNEL, DEVICE, THREAD_INDEX, THREAD_COUNT and POS_INF; this file is included
 * once per dtype with OPTLAB_F64 set to 0 (float) or 1 (double). Arithmetic is in double, as in the reference
 * backend; T is only the storage type.
 *
 * Arguments travel as one struct of 8-byte slots (i64, u64 addresses, double) passed by value, so the host
 * marshals a flat array of longs and doubles. Addresses point at element [0, 0, ...] of a view (the host adds
 * the view's offset); strides count elements; a stride of 0 broadcasts.
 */
#ifndef OPTLAB_KERNEL_ARGS
#define OPTLAB_KERNEL_ARGS
#define MAX_RANK 8
typedef long long i64;
typedef unsigned long long u64;

/* out = f(p0, p1, p2) for each of out's n elements; shape is out's (dims coalesced by the host). */
typedef struct {
    i64 n, rank, op;
    double s, lo, hi;
    i64 shape[MAX_RANK], s0[MAX_RANK], s1[MAX_RANK], s2[MAX_RANK], so[MAX_RANK];
    u64 p0, p1, p2, out;
} Elementwise;

/*
 * A reduction of x over the axes where outShape is 1: outShape is x's shape with the reduced axes set to 1, redShape
 * is x's shape on the reduced axes and 1 elsewhere; reduced element j (row-major over redShape) of output o is at
 * offset_of(o, outShape, sx) + offset_of(j, redShape, sx). With parts = 1 one thread per output does it all. With
 * parts = P > 1 it is split in two launches: the partial kernel runs nOut P threads, thread (o, p) reducing the
 * strided share j = p, p + P, ... (neighbouring threads read neighbouring elements) into partial[o P + p] (double;
 * moments: two doubles), and the combine kernel folds each output's P partials in order p = 0, 1, ... The result
 * depends on P, which the host picks from count and nOut alone, never on the launch shape. xDouble = 1: x holds
 * doubles whatever T is (a loss kernel's per-row buffer). out2 (variance) has strides so2.
 */
typedef struct {
    i64 nOut, rank, op, count, correction, parts, xDouble;
    i64 outShape[MAX_RANK], redShape[MAX_RANK], sx[MAX_RANK], so[MAX_RANK], so2[MAX_RANK];
    u64 x, out, out2, partial;
} Reduction;

/* One thread per fiber (1-D run along axis) of length len; fiberShape is the shape with the axis set to 1. */
typedef struct {
    i64 nFibers, rank, axis, len, log;
    i64 fiberShape[MAX_RANK], s0[MAX_RANK], s1[MAX_RANK], s2[MAX_RANK];
    u64 p0, p1, p2;
} Fibers;

/* One thread per row of logits [n, c]; target is [n] labels (labels = 1) or [n, c] probabilities. */
typedef struct {
    i64 n, c, labels;
    i64 sl0, sl1, st0, st1, sg0, sg1;
    u64 logits, target, grad, rowLoss; /* grad 0: no gradient; rowLoss: double[n] */
} CrossEntropy;

/*
 * One fused optimizer update over n elements: u = g, stage k (kind[k], by UpdateStage.Kind ordinal: SCALE,
 * ADD_DECAYED_WEIGHTS, MOMENTUM, ADAM, RMS, SUM_OF_SQUARES, DIVIDE) rewrites u and its buffers buf[k][..], then
 * p = fma(u, -lr, p). All operands contiguous and element-aligned.
 */
#define MAX_STAGES 8
typedef struct {
    i64 n, count;
    double lr;
    u64 p, g;
    i64 kind[MAX_STAGES], flag[MAX_STAGES];
    double c[MAX_STAGES][8];
    u64 buf[MAX_STAGES][3];
} FusedUpdate;

/*
 * Convolution's lowering for nc samples of x [., C, H, W] (strides sx, x at the first sample): cols [P, nc * L] with
 * P = C kh kw rows (c, i, j) and one column per (sample, output pixel), L = Ho Wo. im2col fills cols from x (0 in the
 * padding); col2im writes x (as gx) with the sum over the columns that read each pixel.
 */
typedef struct {
    i64 work, nc, C, H, W, kh, kw, sH, sW, pH, pW, Ho, Wo;
    i64 sx[4];
    u64 x, cols;
} Conv;

/* 2-D pooling of x [N, C, H, W] into out [N, C, Ho, Wo] (argmax: h W + w of each max); strides per operand. */
typedef struct {
    i64 work, N, C, H, W, Ho, Wo, kh, kw, sH, sW, pH, pW;
    i64 sx[4], so[4], sa[4];
    u64 x, out, arg, flag; /* flag: an i64 the backward sets to 1 when an argmax is not a position */
} Pool;

/*
 * Batch normalization over channel axis 1 of x [N, C, ...] (rank dims, spatial = product after axis 1); element i
 * (row-major) is at offset_of(i) for each operand's strides. Null gamma/beta: 1 and 0. Each channel folds count =
 * N spatial elements. With parts = 1 one thread per channel does a channel's statistics (or sums) and then its
 * elements. With parts = P > 1, as a Reduction: C P threads fold strided shares into work (two doubles each), one
 * thread per channel combines them in order into the statistics (T outputs, and doubles at work + 2 C P), then one
 * thread per element normalizes (or forms gx) from those doubles.
 */
typedef struct {
    i64 C, N, spatial, rank;
    double eps;
    i64 shape[MAX_RANK], sx[MAX_RANK], so[MAX_RANK], sg[MAX_RANK];
    i64 sGamma, sBeta, sMean, sVar, sGGamma, sGBeta;
    u64 x, gamma, beta, out, mean, var, gOut, gGamma, gBeta;
    i64 parts;
    u64 work;
} Norm;

/*
 * The distance layer: x [N, D], centroids c [M, D], weights w [M, D] (0: ones), g [N, M]; a, b, e are the outputs
 * (forward: a = out [N, M]; backward: a = gx [N, D], b = gc [M, D], e = gw [M, D], each 0 when not wanted).
 */
typedef struct {
    i64 work, N, M, D;
    i64 sx0, sx1, sc0, sc1, sw0, sw1, sg0, sg1, sa0, sa1, sb0, sb1, se0, se1;
    u64 x, c, w, g, a, b, e;
} Distance;

/* Echoes its arguments into out (u64[4 + MAX_RANK]): the marshalling check. */
typedef struct {
    i64 a;
    double b;
    i64 list[MAX_RANK];
    u64 p;
    u64 out;
} Echo;

/* Element offset of the i-th element (row-major over shape) for strides st. */
DEVICE i64 offset_of(i64 i, i64 rank, const i64 *shape, const i64 *st) {
    if (rank == 1) {
        return i * st[0];
    }
    i64 o = 0;
    for (i64 d = rank - 1; d >= 0; d--) {
        i64 n = shape[d];
        o += (i % n) * st[d];
        i /= n;
    }
    return o;
}

DEVICE double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
}

/* GELU's inner cubic u(x) = sqrt(2/pi) (x + 0.044715 x^3); 1/2 (1 + tanh u) = sigmoid(2u). */
DEVICE double gelu_tanh_inner(double x) {
    return 0.7978845608028654 * (x + 0.044715 * x * x * x);
}

DEVICE double normal_cdf(double x) {
    return 0.5 * erfc(-x * 0.7071067811865476);
}

/* UnaryOp, by ordinal. */
DEVICE double unary_op(i64 op, double x) {
    switch (op) {
        case 0: return -x;                                   /* NEG */
        case 1: return fabs(x);                              /* ABS */
        case 2: return exp(x);                               /* EXP */
        case 3: return log(x);                               /* LOG */
        case 4: return sqrt(x);                              /* SQRT */
        case 5: return x * x;                                /* SQUARE */
        case 6: return 1 / x;                                /* RECIPROCAL */
        case 7: return x <= 0 ? 0 : x;                       /* RELU (NaN stays NaN) */
        case 8: return x * normal_cdf(x);                    /* GELU */
        case 9: return x * sigmoid(2 * gelu_tanh_inner(x));  /* GELU_TANH */
        case 10: return tanh(x);                             /* TANH */
        default: return sigmoid(x);                          /* SIGMOID */
    }
}

/* BinaryOp, by ordinal; the *_BACKWARD ops take (activation input or output, upstream gradient). */
DEVICE double binary_op(i64 op, double a, double b) {
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        case 3: return a / b;
        case 4: return (a > b || a != a) ? a : b;            /* MAX: NaN wins */
        case 5: return (a < b || a != a) ? a : b;            /* MIN */
        case 6: return pow(a, b);                            /* POW (C99: pow(1, y) = pow(-1, +-inf) = 1) */
        case 7: return a > b ? 1 : 0;                        /* GREATER */
        case 8: return a <= 0 ? 0 : b;                       /* RELU_BACKWARD */
        case 9: return b * (normal_cdf(a) + a * exp(-0.5 * a * a) * 0.3989422804014327); /* GELU_BACKWARD */
        case 10: {                                           /* GELU_TANH_BACKWARD */
            double s = sigmoid(2 * gelu_tanh_inner(a)), slope = s * (1 - s);
            double du = 0.7978845608028654 * (1 + 3 * 0.044715 * a * a);
            double term = slope == 0 ? 0 * a : 2 * a * slope * du;
            return b * (s + term);
        }
        case 11: return b * (1 - a * a);                     /* TANH_BACKWARD */
        default: return b * a * (1 - a);                     /* SIGMOID_BACKWARD */
    }
}

/*
 * One step of MAX (op 2) or MIN (op 3) as Java's Math.max/min and the reference: NaN wins, +0 is above -0. So the
 * result does not depend on the order the elements are folded in, and a split reduction equals the one-pass one.
 */
DEVICE double extremum(i64 op, double acc, double v) {
    if (acc != acc) {
        return acc;
    }
    if (v != v || (op == 2 ? v > acc : v < acc)) {
        return v;
    }
    if (v == 0 && acc == 0) {
        int negative = 1 / v < 0; /* 1 / -0 = -inf */
        return (op == 2) != negative ? v : acc;
    }
    return acc;
}

/* Reduced elements of share p of parts: j = p, p + parts, ... below count. */
DEVICE i64 share_size(i64 count, i64 p, i64 parts) {
    return p < count ? (count - p + parts - 1) / parts : 0;
}

KERNEL(echo_args, Echo) {
    if (THREAD_INDEX == 0) {
        i64 *out = (i64 *) ARGS.out;
        out[0] = ARGS.a;
        ((double *) out)[1] = ARGS.b;
        for (int k = 0; k < MAX_RANK; k++) {
            out[2 + k] = ARGS.list[k];
        }
        out[2 + MAX_RANK] = (i64) ARGS.p;
    }
}
#endif /* OPTLAB_KERNEL_ARGS */

#undef T
#undef NAME
#undef FMA
#undef SQRT
#if OPTLAB_F64
#define T double
#define NAME(x) x##_f64
#define FMA fma
#define SQRT sqrt
#else
#define T float
#define NAME(x) x##_f32
#define FMA fmaf
#define SQRT sqrtf
#endif

/* out = p0 (broadcast). */
KERNEL(NAME(copy), Elementwise) {
    const T *x = (const T *) ARGS.p0;
    T *out = (T *) ARGS.out;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        out[offset_of(i, ARGS.rank, ARGS.shape, ARGS.so)] = x[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s0)];
    }
}

/* out = s. */
KERNEL(NAME(fill), Elementwise) {
    T *out = (T *) ARGS.out;
    T v = (T) ARGS.s;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        out[offset_of(i, ARGS.rank, ARGS.shape, ARGS.so)] = v;
    }
}

/* out = op(p0). */
KERNEL(NAME(unary), Elementwise) {
    const T *x = (const T *) ARGS.p0;
    T *out = (T *) ARGS.out;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        double v = x[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s0)];
        out[offset_of(i, ARGS.rank, ARGS.shape, ARGS.so)] = (T) unary_op(ARGS.op, v);
    }
}

/* out = op(p0, p1); out may be exactly p0 or p1 (each element is read before it is written). */
KERNEL(NAME(binary), Elementwise) {
    const T *a = (const T *) ARGS.p0;
    const T *b = (const T *) ARGS.p1;
    T *out = (T *) ARGS.out;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        double x = a[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s0)];
        double y = b[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s1)];
        out[offset_of(i, ARGS.rank, ARGS.shape, ARGS.so)] = (T) binary_op(ARGS.op, x, y);
    }
}

/* out = op(p0, s), with s rounded to T first (as a broadcast tensor would be). */
KERNEL(NAME(scalar), Elementwise) {
    const T *a = (const T *) ARGS.p0;
    T *out = (T *) ARGS.out;
    double s = (T) ARGS.s;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        double x = a[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s0)];
        out[offset_of(i, ARGS.rank, ARGS.shape, ARGS.so)] = (T) binary_op(ARGS.op, x, s);
    }
}

/* out = min(max(p0, lo), hi). */
KERNEL(NAME(clamp), Elementwise) {
    const T *a = (const T *) ARGS.p0;
    T *out = (T *) ARGS.out;
    double lo = (T) ARGS.lo, hi = (T) ARGS.hi;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        double x = a[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s0)];
        double y = (x > lo || x != x) ? x : lo;
        out[offset_of(i, ARGS.rank, ARGS.shape, ARGS.so)] = (T) ((y < hi || y != y) ? y : hi);
    }
}

/* out = p0 != 0 ? p1 : p2 (NaN counts as true). */
KERNEL(NAME(where), Elementwise) {
    const T *m = (const T *) ARGS.p0;
    const T *a = (const T *) ARGS.p1;
    const T *b = (const T *) ARGS.p2;
    T *out = (T *) ARGS.out;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        double c = m[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s0)];
        T v = c != 0 ? a[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s1)] : b[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s2)];
        out[offset_of(i, ARGS.rank, ARGS.shape, ARGS.so)] = v;
    }
}

/* Element off (an offset in elements) of x as a double; x holds doubles when xDouble is set. */
DEVICE double NAME(load)(const Reduction *a, i64 off) {
    return a->xDouble ? ((const double *) a->x)[off] : (double) ((const T *) a->x)[off];
}

/* ReduceOp by ordinal (SUM, MEAN, MAX, MIN) over share p of parts of output o, in double. */
DEVICE double NAME(reduce_share)(const Reduction *a, i64 o, i64 p, i64 parts) {
    i64 base = offset_of(o, a->rank, a->outShape, a->sx);
    double acc = a->op <= 1 ? 0 : a->op == 2 ? -POS_INF : POS_INF;
    for (i64 j = p; j < a->count; j += parts) {
        double v = NAME(load)(a, base + offset_of(j, a->rank, a->redShape, a->sx));
        acc = a->op <= 1 ? acc + v : extremum(a->op, acc, v);
    }
    return acc;
}

DEVICE void NAME(reduce_store)(const Reduction *a, i64 o, double acc) {
    ((T *) a->out)[offset_of(o, a->rank, a->outShape, a->so)] = (T) (a->op == 1 ? acc / a->count : acc);
}

/* parts = 1: one thread per output reduces all count elements. */
KERNEL(NAME(reduce), Reduction) {
    for (i64 o = THREAD_INDEX; o < ARGS.nOut; o += THREAD_COUNT) {
        NAME(reduce_store)(&ARGS, o, NAME(reduce_share)(&ARGS, o, 0, 1));
    }
}

/* Split, first launch: partial[o parts + p] = share p of output o. */
KERNEL(NAME(reduce_partial), Reduction) {
    double *partial = (double *) ARGS.partial;
    for (i64 t = THREAD_INDEX; t < ARGS.nOut * ARGS.parts; t += THREAD_COUNT) {
        partial[t] = NAME(reduce_share)(&ARGS, t / ARGS.parts, t % ARGS.parts, ARGS.parts);
    }
}

/* Split, second launch: one thread per output folds its parts partials in order. */
KERNEL(NAME(reduce_combine), Reduction) {
    const double *partial = (const double *) ARGS.partial;
    for (i64 o = THREAD_INDEX; o < ARGS.nOut; o += THREAD_COUNT) {
        double acc = ARGS.op <= 1 ? 0 : ARGS.op == 2 ? -POS_INF : POS_INF;
        for (i64 p = 0; p < ARGS.parts; p++) {
            double v = partial[o * ARGS.parts + p];
            acc = ARGS.op <= 1 ? acc + v : extremum(ARGS.op, acc, v);
        }
        NAME(reduce_store)(&ARGS, o, acc);
    }
}

/* Index of the first maximum along the one reduced axis (the first NaN wins), stored as a number. */
KERNEL(NAME(argmax), Reduction) {
    const T *x = (const T *) ARGS.x;
    T *out = (T *) ARGS.out;
    for (i64 o = THREAD_INDEX; o < ARGS.nOut; o += THREAD_COUNT) {
        i64 base = offset_of(o, ARGS.rank, ARGS.outShape, ARGS.sx);
        i64 best = 0;
        double bestValue = -POS_INF;
        for (i64 j = 0; j < ARGS.count; j++) {
            double v = x[base + offset_of(j, ARGS.rank, ARGS.redShape, ARGS.sx)];
            if (v != v) {
                best = j;
                break;
            }
            if (j == 0 || v > bestValue) {
                best = j;
                bestValue = v;
            }
        }
        out[offset_of(o, ARGS.rank, ARGS.outShape, ARGS.so)] = (T) best;
    }
}

/*
 * Share p of parts of output o in two passes over it: its sum, and m2 = the sum of squared deviations from its own
 * mean (0 for an empty share).
 */
DEVICE void NAME(moments_share)(const Reduction *a, i64 o, i64 p, i64 parts, double *sum, double *m2) {
    i64 base = offset_of(o, a->rank, a->outShape, a->sx);
    double s = 0, sq = 0;
    for (i64 j = p; j < a->count; j += parts) {
        s += NAME(load)(a, base + offset_of(j, a->rank, a->redShape, a->sx));
    }
    double mean = s / share_size(a->count, p, parts);
    for (i64 j = p; j < a->count; j += parts) {
        double d = NAME(load)(a, base + offset_of(j, a->rank, a->redShape, a->sx)) - mean;
        sq += d * d;
    }
    *sum = s;
    *m2 = sq;
}

/* Mean (out) and variance (out2) from the sum and m2 of all count elements, dividing by max(0, count - correction). */
DEVICE void NAME(moments_store)(const Reduction *a, i64 o, double sum, double m2) {
    double divisor = a->count - a->correction > 0 ? (double) (a->count - a->correction) : 0.0;
    ((T *) a->out)[offset_of(o, a->rank, a->outShape, a->so)] = (T) (sum / a->count);
    ((T *) a->out2)[offset_of(o, a->rank, a->outShape, a->so2)] = (T) (m2 / divisor);
}

/* parts = 1: one thread per output, two passes (mean, then squared deviations from it) as the reference. */
KERNEL(NAME(moments), Reduction) {
    for (i64 o = THREAD_INDEX; o < ARGS.nOut; o += THREAD_COUNT) {
        double sum, m2;
        NAME(moments_share)(&ARGS, o, 0, 1, &sum, &m2);
        NAME(moments_store)(&ARGS, o, sum, m2);
    }
}

/* Split, first launch: partial[2 (o parts + p)] = share p's sum, partial[.. + 1] = its m2. */
KERNEL(NAME(moments_partial), Reduction) {
    double *partial = (double *) ARGS.partial;
    for (i64 t = THREAD_INDEX; t < ARGS.nOut * ARGS.parts; t += THREAD_COUNT) {
        NAME(moments_share)(&ARGS, t / ARGS.parts, t % ARGS.parts, ARGS.parts, partial + 2 * t, partial + 2 * t + 1);
    }
}

/*
 * Split, second launch, per output: mean = (sum of the shares' sums) / count, and the parallel-variance identity
 * m2 = sum_p (m2_p + n_p (mean_p - mean)^2) over shares of n_p elements and mean mean_p (Chan et al.): every term is
 * non-negative, so no cancellation, unlike sum x^2 - count mean^2.
 */
KERNEL(NAME(moments_combine), Reduction) {
    const double *partial = (const double *) ARGS.partial;
    for (i64 o = THREAD_INDEX; o < ARGS.nOut; o += THREAD_COUNT) {
        const double *part = partial + 2 * o * ARGS.parts;
        double sum = 0, m2 = 0;
        for (i64 p = 0; p < ARGS.parts; p++) {
            sum += part[2 * p];
        }
        double mean = sum / ARGS.count;
        for (i64 p = 0; p < ARGS.parts; p++) {
            i64 n = share_size(ARGS.count, p, ARGS.parts);
            if (n > 0) {
                double d = part[2 * p] / n - mean;
                m2 += part[2 * p + 1] + n * d * d;
            }
        }
        NAME(moments_store)(&ARGS, o, sum, m2);
    }
}

/* Softmax (log = 0) or log-softmax (log = 1) of p0 into p2 along the axis, max subtracted first. */
KERNEL(NAME(softmax), Fibers) {
    const T *x = (const T *) ARGS.p0;
    T *out = (T *) ARGS.p2;
    i64 a = ARGS.axis;
    for (i64 f = THREAD_INDEX; f < ARGS.nFibers; f += THREAD_COUNT) {
        i64 bx = offset_of(f, ARGS.rank, ARGS.fiberShape, ARGS.s0);
        i64 bo = offset_of(f, ARGS.rank, ARGS.fiberShape, ARGS.s2);
        double max = -POS_INF, sum = 0;
        for (i64 k = 0; k < ARGS.len; k++) {
            double v = x[bx + k * ARGS.s0[a]];
            max = (v > max || v != v) ? v : max;
        }
        for (i64 k = 0; k < ARGS.len; k++) {
            sum += exp(x[bx + k * ARGS.s0[a]] - max);
        }
        double lse = max + log(sum);
        for (i64 k = 0; k < ARGS.len; k++) {
            double v = x[bx + k * ARGS.s0[a]] - lse;
            out[bo + k * ARGS.s2[a]] = (T) (ARGS.log ? v : exp(v));
        }
    }
}

/* Backward of softmax (gx = y (gy - sum gy y)) or log-softmax (gx = gy - exp(y) sum gy): p0 = y, p1 = gy, p2 = gx. */
KERNEL(NAME(softmax_backward), Fibers) {
    const T *y = (const T *) ARGS.p0;
    const T *gy = (const T *) ARGS.p1;
    T *gx = (T *) ARGS.p2;
    i64 a = ARGS.axis;
    for (i64 f = THREAD_INDEX; f < ARGS.nFibers; f += THREAD_COUNT) {
        i64 by = offset_of(f, ARGS.rank, ARGS.fiberShape, ARGS.s0);
        i64 bg = offset_of(f, ARGS.rank, ARGS.fiberShape, ARGS.s1);
        i64 bx = offset_of(f, ARGS.rank, ARGS.fiberShape, ARGS.s2);
        double s = 0;
        for (i64 k = 0; k < ARGS.len; k++) {
            double g = gy[bg + k * ARGS.s1[a]];
            s += ARGS.log ? g : g * (double) y[by + k * ARGS.s0[a]];
        }
        for (i64 k = 0; k < ARGS.len; k++) {
            double yk = y[by + k * ARGS.s0[a]], gk = gy[bg + k * ARGS.s1[a]];
            gx[bx + k * ARGS.s2[a]] = (T) (ARGS.log ? gk - exp(yk) * s : yk * (gk - s));
        }
    }
}

/*
 * Per-row softmax cross-entropy: rowLoss[i] = -sum_k t_k logSoftmax(logits_i)_k (double); grad (if any) =
 * (softmax - t) / n. The host averages rowLoss on the device (reduce with xDouble). A label that is not a class
 * index gives rowLoss NaN, so a NaN loss; the host then names the label.
 */
KERNEL(NAME(cross_entropy), CrossEntropy) {
    const T *z = (const T *) ARGS.logits;
    const T *t = (const T *) ARGS.target;
    T *g = (T *) ARGS.grad;
    double *rowLoss = (double *) ARGS.rowLoss;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        const T *zi = z + i * ARGS.sl0;
        double label = ARGS.labels ? (double) t[i * ARGS.st0] : 0;
        if (ARGS.labels && !(label >= 0 && label < ARGS.c && label == floor(label))) {
            double nan = 0.0;
            rowLoss[i] = nan / nan;
            continue;
        }
        double max = -POS_INF, sum = 0, total = 0;
        for (i64 k = 0; k < ARGS.c; k++) {
            double v = zi[k * ARGS.sl1];
            max = (v > max || v != v) ? v : max;
        }
        for (i64 k = 0; k < ARGS.c; k++) {
            sum += exp(zi[k * ARGS.sl1] - max);
        }
        double lse = max + log(sum);
        for (i64 k = 0; k < ARGS.c; k++) {
            double zk = zi[k * ARGS.sl1];
            double tk = ARGS.labels ? (k == (i64) label ? 1 : 0) : (double) t[i * ARGS.st0 + k * ARGS.st1];
            total += tk * (lse - zk);
            if (ARGS.grad != 0) {
                g[i * ARGS.sg0 + k * ARGS.sg1] = (T) ((exp(zk - lse) - tk) / ARGS.n);
            }
        }
        rowLoss[i] = total;
    }
}

/*
 * Squared differences (double, into p2 contiguous; the host averages them on the device) and the MSE gradient
 * 2 (a - b) / n into out (if any).
 */
KERNEL(NAME(squared_error), Elementwise) {
    const T *a = (const T *) ARGS.p0;
    const T *b = (const T *) ARGS.p1;
    double *sq = (double *) ARGS.p2;
    T *g = (T *) ARGS.out;
    for (i64 i = THREAD_INDEX; i < ARGS.n; i += THREAD_COUNT) {
        double d = (double) a[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s0)] - (double) b[offset_of(i, ARGS.rank, ARGS.shape, ARGS.s1)];
        sq[i] = d * d;
        if (ARGS.out != 0) {
            g[offset_of(i, ARGS.rank, ARGS.shape, ARGS.so)] = (T) (2 * d / ARGS.n);
        }
    }
}

/* Java's Math.max, which the host update kernels use: NaN wins, +0 is above -0. */
DEVICE T NAME(java_max)(T a, T b) {
    if (a != a) {
        return a;
    }
    if (b != b) {
        return b;
    }
    if (a == 0 && b == 0) {
        return (T) 1 / a < 0 ? b : a; /* 1 / -0 = -inf */
    }
    return a > b ? a : b;
}

/*
 * The fused optimizer update, in T and in the host kernels' IEEE operations and order (FMA where they fuse, each
 * coefficient rounded to T first), so a step gives the bits of the CPU's ScalarKernel/UpdateKernel. Per element:
 * no element reads another's state, so any launch shape gives the same result.
 */
KERNEL(NAME(fused_update), FusedUpdate) {
    T *p = (T *) ARGS.p;
    const T *g = (const T *) ARGS.g;
    T negLr = (T) -ARGS.lr;
    for (i64 e = THREAD_INDEX; e < ARGS.n; e += THREAD_COUNT) {
        T u = g[e], w = p[e];
        for (i64 k = 0; k < ARGS.count; k++) {
            const double *c = ARGS.c[k];
            T *b0 = (T *) ARGS.buf[k][0], *b1 = (T *) ARGS.buf[k][1], *b2 = (T *) ARGS.buf[k][2];
            switch (ARGS.kind[k]) {
                case 0: /* SCALE */
                    u = u * (T) c[0];
                    break;
                case 1: /* ADD_DECAYED_WEIGHTS */
                    u = FMA(w, (T) c[0], u);
                    break;
                case 2: { /* MOMENTUM */
                    T m = FMA(u, (T) c[1], b0[e] * (T) c[0]);
                    b0[e] = m;
                    u = FMA(m, (T) c[3], u * (T) c[2]);
                    break;
                }
                case 3: { /* ADAM */
                    T mean = FMA(u, (T) c[1], b0[e] * (T) c[0]);
                    T var = FMA(u * u, (T) c[3], b1[e] * (T) c[2]);
                    b0[e] = mean;
                    b1[e] = var;
                    T v = var;
                    if (ARGS.flag[k]) {
                        v = NAME(java_max)(b2[e], var);
                        b2[e] = v;
                    }
                    u = mean * (T) c[4] / FMA(SQRT(v), (T) c[5], (T) c[6]);
                    break;
                }
                case 4: { /* RMS */
                    T oneMinus = (T) c[1];
                    T s = FMA(u * u, oneMinus, b0[e] * (T) c[0]);
                    b0[e] = s;
                    if (ARGS.flag[k]) {
                        T a = FMA(u, oneMinus, b1[e] * (T) c[0]);
                        b1[e] = a;
                        s = NAME(java_max)(s - a * a, (T) 0);
                    }
                    u = u / FMA(SQRT(s), (T) c[3], (T) c[2]);
                    break;
                }
                case 5: { /* SUM_OF_SQUARES */
                    T s = FMA(u, u, b0[e]);
                    b0[e] = s;
                    u = u / (SQRT(s) + (T) c[0]);
                    break;
                }
                default: { /* DIVIDE */
                    T kappa = b0[e];
                    u = kappa > 0 ? u / kappa : (T) 0;
                    break;
                }
            }
        }
        p[e] = FMA(u, negLr, w);
    }
}

/* ------------------------------------------------------------------ convolution by lowering */

/* cols[(c kh + i) kw + j, n L + oh Wo + ow] = x[n, c, oh sH - pH + i, ow sW - pW + j], 0 outside the image. */
KERNEL(NAME(im2col), Conv) {
    const T *x = (const T *) ARGS.x;
    T *cols = (T *) ARGS.cols;
    i64 L = ARGS.Ho * ARGS.Wo, width = ARGS.nc * L;
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 row = t / width, col = t % width;
        i64 j = row % ARGS.kw, i = row / ARGS.kw % ARGS.kh, c = row / (ARGS.kw * ARGS.kh);
        i64 n = col / L, oh = col % L / ARGS.Wo, ow = col % ARGS.Wo;
        i64 ih = oh * ARGS.sH - ARGS.pH + i, iw = ow * ARGS.sW - ARGS.pW + j;
        int inside = ih >= 0 && ih < ARGS.H && iw >= 0 && iw < ARGS.W;
        cols[t] = inside ? x[n * ARGS.sx[0] + c * ARGS.sx[1] + ih * ARGS.sx[2] + iw * ARGS.sx[3]] : (T) 0;
    }
}

/* x[n, c, ih, iw] = sum of cols over the (i, j, oh, ow) with oh sH - pH + i = ih and ow sW - pW + j = iw (a gather). */
KERNEL(NAME(col2im), Conv) {
    T *x = (T *) ARGS.x;
    const T *cols = (const T *) ARGS.cols;
    i64 L = ARGS.Ho * ARGS.Wo, width = ARGS.nc * L;
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 iw = t % ARGS.W, ih = t / ARGS.W % ARGS.H, c = t / (ARGS.W * ARGS.H) % ARGS.C, n = t / (ARGS.W * ARGS.H * ARGS.C);
        double acc = 0;
        for (i64 i = 0; i < ARGS.kh; i++) {
            i64 ph = ih + ARGS.pH - i;
            if (ph < 0 || ph % ARGS.sH != 0 || ph / ARGS.sH >= ARGS.Ho) {
                continue;
            }
            for (i64 j = 0; j < ARGS.kw; j++) {
                i64 pw = iw + ARGS.pW - j;
                if (pw < 0 || pw % ARGS.sW != 0 || pw / ARGS.sW >= ARGS.Wo) {
                    continue;
                }
                acc += cols[((c * ARGS.kh + i) * ARGS.kw + j) * width + n * L + ph / ARGS.sH * ARGS.Wo + pw / ARGS.sW];
            }
        }
        x[n * ARGS.sx[0] + c * ARGS.sx[1] + ih * ARGS.sx[2] + iw * ARGS.sx[3]] = (T) acc;
    }
}

/* ------------------------------------------------------------------ pooling */

/* One thread per output: the first maximum in row-major window order over cells inside the image (NaN wins). */
KERNEL(NAME(max_pool), Pool) {
    const T *x = (const T *) ARGS.x;
    T *out = (T *) ARGS.out, *arg = (T *) ARGS.arg;
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 q = t % ARGS.Wo, p = t / ARGS.Wo % ARGS.Ho, c = t / (ARGS.Wo * ARGS.Ho) % ARGS.C, n = t / (ARGS.Wo * ARGS.Ho * ARGS.C);
        double best = -POS_INF;
        i64 at = -1;
        for (i64 i = 0; i < ARGS.kh; i++) {
            i64 ih = p * ARGS.sH - ARGS.pH + i;
            for (i64 j = 0; j < ARGS.kw; j++) {
                i64 iw = q * ARGS.sW - ARGS.pW + j;
                if (ih < 0 || ih >= ARGS.H || iw < 0 || iw >= ARGS.W) {
                    continue;
                }
                double v = x[n * ARGS.sx[0] + c * ARGS.sx[1] + ih * ARGS.sx[2] + iw * ARGS.sx[3]];
                if (at < 0 || v > best || v != v) {
                    best = v;
                    at = ih * ARGS.W + iw;
                }
            }
        }
        out[n * ARGS.so[0] + c * ARGS.so[1] + p * ARGS.so[2] + q * ARGS.so[3]] = (T) best;
        if (ARGS.arg != 0) {
            arg[n * ARGS.sa[0] + c * ARGS.sa[1] + p * ARGS.sa[2] + q * ARGS.sa[3]] = (T) at;
        }
    }
}

/*
 * One thread per (n, c) plane, which it owns: gx (out, [N, C, H, W]) = 0, then each gOut (x, [N, C, Ho, Wo]) added at
 * its recorded argmax. An argmax that is not a position in the plane sets *flag (the host then says so).
 */
KERNEL(NAME(max_pool_backward), Pool) {
    const T *g = (const T *) ARGS.x, *arg = (const T *) ARGS.arg;
    T *gx = (T *) ARGS.out;
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 c = t % ARGS.C, n = t / ARGS.C;
        T *plane = gx + n * ARGS.so[0] + c * ARGS.so[1];
        for (i64 h = 0; h < ARGS.H; h++) {
            for (i64 w = 0; w < ARGS.W; w++) {
                plane[h * ARGS.so[2] + w * ARGS.so[3]] = (T) 0;
            }
        }
        for (i64 p = 0; p < ARGS.Ho; p++) {
            for (i64 q = 0; q < ARGS.Wo; q++) {
                double a = arg[n * ARGS.sa[0] + c * ARGS.sa[1] + p * ARGS.sa[2] + q * ARGS.sa[3]];
                if (!(a >= 0 && a < (double) (ARGS.H * ARGS.W) && a == floor(a))) {
                    *(i64 *) ARGS.flag = 1;
                    continue;
                }
                i64 at = (i64) a;
                T *cell = plane + at / ARGS.W * ARGS.so[2] + at % ARGS.W * ARGS.so[3];
                *cell = (T) ((double) *cell + g[n * ARGS.sx[0] + c * ARGS.sx[1] + p * ARGS.sx[2] + q * ARGS.sx[3]]);
            }
        }
    }
}

/* One thread per output: the window's sum over cells inside the image, divided by kh kw (padding counts as 0). */
KERNEL(NAME(avg_pool), Pool) {
    const T *x = (const T *) ARGS.x;
    T *out = (T *) ARGS.out;
    double area = (double) (ARGS.kh * ARGS.kw);
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 q = t % ARGS.Wo, p = t / ARGS.Wo % ARGS.Ho, c = t / (ARGS.Wo * ARGS.Ho) % ARGS.C, n = t / (ARGS.Wo * ARGS.Ho * ARGS.C);
        double s = 0;
        for (i64 i = 0; i < ARGS.kh; i++) {
            i64 ih = p * ARGS.sH - ARGS.pH + i;
            for (i64 j = 0; j < ARGS.kw; j++) {
                i64 iw = q * ARGS.sW - ARGS.pW + j;
                if (ih >= 0 && ih < ARGS.H && iw >= 0 && iw < ARGS.W) {
                    s += x[n * ARGS.sx[0] + c * ARGS.sx[1] + ih * ARGS.sx[2] + iw * ARGS.sx[3]];
                }
            }
        }
        out[n * ARGS.so[0] + c * ARGS.so[1] + p * ARGS.so[2] + q * ARGS.so[3]] = (T) (s / area);
    }
}

/* One thread per gx (out) element: the sum of gOut (x) / (kh kw) over the windows that contain it (a gather). */
KERNEL(NAME(avg_pool_backward), Pool) {
    const T *g = (const T *) ARGS.x;
    T *gx = (T *) ARGS.out;
    double area = (double) (ARGS.kh * ARGS.kw);
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 iw = t % ARGS.W, ih = t / ARGS.W % ARGS.H, c = t / (ARGS.W * ARGS.H) % ARGS.C, n = t / (ARGS.W * ARGS.H * ARGS.C);
        double acc = 0;
        for (i64 i = 0; i < ARGS.kh; i++) {
            i64 ph = ih + ARGS.pH - i;
            if (ph < 0 || ph % ARGS.sH != 0 || ph / ARGS.sH >= ARGS.Ho) {
                continue;
            }
            for (i64 j = 0; j < ARGS.kw; j++) {
                i64 pw = iw + ARGS.pW - j;
                if (pw < 0 || pw % ARGS.sW != 0 || pw / ARGS.sW >= ARGS.Wo) {
                    continue;
                }
                acc += g[n * ARGS.sx[0] + c * ARGS.sx[1] + ph / ARGS.sH * ARGS.sx[2] + pw / ARGS.sW * ARGS.sx[3]] / area;
            }
        }
        gx[n * ARGS.so[0] + c * ARGS.so[1] + ih * ARGS.so[2] + iw * ARGS.so[3]] = (T) acc;
    }
}

/* ------------------------------------------------------------------ batch normalization */

/* Element k of channel ch, in row-major order over x's shape: sample k / spatial, position k % spatial. */
DEVICE i64 NAME(channel_element)(const Norm *a, i64 ch, i64 k) {
    return (k / a->spatial * a->C + ch) * a->spatial + k % a->spatial;
}

/* Share p of parts of channel ch in two passes: its sum, and m2 = sum of squared deviations from its own mean. */
DEVICE void NAME(norm_share)(const Norm *a, i64 ch, i64 p, i64 parts, double *sum, double *m2) {
    i64 count = a->N * a->spatial;
    double s = 0, sq = 0;
    for (i64 k = p; k < count; k += parts) {
        s += ((const T *) a->x)[offset_of(NAME(channel_element)(a, ch, k), a->rank, a->shape, a->sx)];
    }
    double mu = s / share_size(count, p, parts); /* count 0: NaN, as the reference */
    for (i64 k = p; k < count; k += parts) {
        double d = ((const T *) a->x)[offset_of(NAME(channel_element)(a, ch, k), a->rank, a->shape, a->sx)] - mu;
        sq += d * d;
    }
    *sum = s;
    *m2 = sq;
}

/* out at element e (of channel ch) = (x - mu) / sqrt(v + eps) gamma + beta, from the double statistics. */
DEVICE void NAME(norm_apply)(const Norm *a, i64 ch, i64 e, double mu, double v) {
    double r = sqrt(v + a->eps), gc = a->gamma ? (double) ((const T *) a->gamma)[ch * a->sGamma] : 1;
    double bc = a->beta ? (double) ((const T *) a->beta)[ch * a->sBeta] : 0;
    double y = (((const T *) a->x)[offset_of(e, a->rank, a->shape, a->sx)] - mu) / r;
    ((T *) a->out)[offset_of(e, a->rank, a->shape, a->so)] = (T) (y * gc + bc);
}

/* parts = 1, per channel: mean, biased variance (two passes, in double), then the channel's outputs. */
KERNEL(NAME(batch_norm), Norm) {
    i64 count = ARGS.N * ARGS.spatial;
    for (i64 ch = THREAD_INDEX; ch < ARGS.C; ch += THREAD_COUNT) {
        double sum, m2;
        NAME(norm_share)(&ARGS, ch, 0, 1, &sum, &m2);
        double mu = sum / count, v = m2 / count;
        ((T *) ARGS.mean)[ch * ARGS.sMean] = (T) mu;
        ((T *) ARGS.var)[ch * ARGS.sVar] = (T) v;
        for (i64 k = 0; k < count; k++) {
            NAME(norm_apply)(&ARGS, ch, NAME(channel_element)(&ARGS, ch, k), mu, v);
        }
    }
}

/* Split, first launch: work[2 (ch parts + p)] = share p's sum, work[.. + 1] = its m2. */
KERNEL(NAME(batch_norm_partial), Norm) {
    double *work = (double *) ARGS.work;
    for (i64 t = THREAD_INDEX; t < ARGS.C * ARGS.parts; t += THREAD_COUNT) {
        NAME(norm_share)(&ARGS, t / ARGS.parts, t % ARGS.parts, ARGS.parts, work + 2 * t, work + 2 * t + 1);
    }
}

/* Split, second launch, per channel: mean and biased variance as moments_combine, to mean/var and to the doubles. */
KERNEL(NAME(batch_norm_combine), Norm) {
    double *work = (double *) ARGS.work, *stats = work + 2 * ARGS.C * ARGS.parts;
    i64 count = ARGS.N * ARGS.spatial;
    for (i64 ch = THREAD_INDEX; ch < ARGS.C; ch += THREAD_COUNT) {
        const double *part = work + 2 * ch * ARGS.parts;
        double sum = 0, m2 = 0;
        for (i64 p = 0; p < ARGS.parts; p++) {
            sum += part[2 * p];
        }
        double mu = sum / count;
        for (i64 p = 0; p < ARGS.parts; p++) {
            i64 n = share_size(count, p, ARGS.parts);
            if (n > 0) {
                double d = part[2 * p] / n - mu;
                m2 += part[2 * p + 1] + n * d * d;
            }
        }
        double v = m2 / count;
        ((T *) ARGS.mean)[ch * ARGS.sMean] = (T) mu;
        ((T *) ARGS.var)[ch * ARGS.sVar] = (T) v;
        stats[2 * ch] = mu;
        stats[2 * ch + 1] = v;
    }
}

/* Split, third launch: one thread per element of x normalizes it with its channel's double statistics. */
KERNEL(NAME(batch_norm_apply), Norm) {
    const double *stats = (const double *) ARGS.work + 2 * ARGS.C * ARGS.parts;
    i64 total = ARGS.N * ARGS.C * ARGS.spatial;
    for (i64 e = THREAD_INDEX; e < total; e += THREAD_COUNT) {
        i64 ch = e / ARGS.spatial % ARGS.C;
        NAME(norm_apply)(&ARGS, ch, e, stats[2 * ch], stats[2 * ch + 1]);
    }
}

/* Share p of parts of channel ch: sumG = sum gOut, sumGx = sum gOut xhat, xhat = (x - mean) / sqrt(var + eps). */
DEVICE void NAME(norm_backward_share)(const Norm *a, i64 ch, i64 p, i64 parts, double *sumG, double *sumGx) {
    i64 count = a->N * a->spatial;
    double mu = ((const T *) a->mean)[ch * a->sMean], v = ((const T *) a->var)[ch * a->sVar];
    double sg = 0, sgx = 0;
    for (i64 k = p; k < count; k += parts) {
        i64 e = NAME(channel_element)(a, ch, k);
        double xhat = (((const T *) a->x)[offset_of(e, a->rank, a->shape, a->sx)] - mu) / sqrt(v + a->eps);
        double go = ((const T *) a->gOut)[offset_of(e, a->rank, a->shape, a->sg)];
        sg += go;
        sgx += go * xhat;
    }
    *sumG = sg;
    *sumGx = sgx;
}

/* gx at element e (of channel ch) = gamma / sqrt(var + eps) (gOut - sumG / m - xhat sumGx / m). */
DEVICE void NAME(norm_backward_apply)(const Norm *a, i64 ch, i64 e, double sumG, double sumGx) {
    double mu = ((const T *) a->mean)[ch * a->sMean], v = ((const T *) a->var)[ch * a->sVar];
    double r = 1 / sqrt(v + a->eps), scale = (a->gamma ? (double) ((const T *) a->gamma)[ch * a->sGamma] : 1) * r;
    double m = (double) (a->N * a->spatial);
    double xhat = (((const T *) a->x)[offset_of(e, a->rank, a->shape, a->sx)] - mu) * r;
    double go = ((const T *) a->gOut)[offset_of(e, a->rank, a->shape, a->sg)];
    ((T *) a->out)[offset_of(e, a->rank, a->shape, a->so)] = (T) (scale * (go - sumG / m - xhat * sumGx / m));
}

DEVICE void NAME(norm_backward_store)(const Norm *a, i64 ch, double sumG, double sumGx) {
    if (a->gGamma) {
        ((T *) a->gGamma)[ch * a->sGGamma] = (T) sumGx;
    }
    if (a->gBeta) {
        ((T *) a->gBeta)[ch * a->sGBeta] = (T) sumG;
    }
}

/*
 * parts = 1, per channel, with xhat = (x - mean) / sqrt(var + eps) and m values: gGamma = sum gOut xhat, gBeta = sum
 * gOut (each if wanted), gx (out, if wanted) = gamma / sqrt(var + eps) (gOut - sum gOut / m - xhat sum gOut xhat / m).
 */
KERNEL(NAME(batch_norm_backward), Norm) {
    i64 count = ARGS.N * ARGS.spatial;
    for (i64 ch = THREAD_INDEX; ch < ARGS.C; ch += THREAD_COUNT) {
        double sumG, sumGx;
        NAME(norm_backward_share)(&ARGS, ch, 0, 1, &sumG, &sumGx);
        NAME(norm_backward_store)(&ARGS, ch, sumG, sumGx);
        for (i64 k = 0; ARGS.out && k < count; k++) {
            NAME(norm_backward_apply)(&ARGS, ch, NAME(channel_element)(&ARGS, ch, k), sumG, sumGx);
        }
    }
}

/* Split, first launch: work[2 (ch parts + p)] = share p's sumG, work[.. + 1] = its sumGx. */
KERNEL(NAME(batch_norm_backward_partial), Norm) {
    double *work = (double *) ARGS.work;
    for (i64 t = THREAD_INDEX; t < ARGS.C * ARGS.parts; t += THREAD_COUNT) {
        NAME(norm_backward_share)(&ARGS, t / ARGS.parts, t % ARGS.parts, ARGS.parts, work + 2 * t, work + 2 * t + 1);
    }
}

/* Split, second launch, per channel: the sums folded in order, to gGamma/gBeta and to the doubles. */
KERNEL(NAME(batch_norm_backward_combine), Norm) {
    double *work = (double *) ARGS.work, *stats = work + 2 * ARGS.C * ARGS.parts;
    for (i64 ch = THREAD_INDEX; ch < ARGS.C; ch += THREAD_COUNT) {
        const double *part = work + 2 * ch * ARGS.parts;
        double sumG = 0, sumGx = 0;
        for (i64 p = 0; p < ARGS.parts; p++) {
            sumG += part[2 * p];
            sumGx += part[2 * p + 1];
        }
        NAME(norm_backward_store)(&ARGS, ch, sumG, sumGx);
        stats[2 * ch] = sumG;
        stats[2 * ch + 1] = sumGx;
    }
}

/* Split, third launch (when gx is wanted): one thread per element of gx. */
KERNEL(NAME(batch_norm_backward_apply), Norm) {
    const double *stats = (const double *) ARGS.work + 2 * ARGS.C * ARGS.parts;
    i64 total = ARGS.N * ARGS.C * ARGS.spatial;
    for (i64 e = THREAD_INDEX; e < total; e += THREAD_COUNT) {
        i64 ch = e / ARGS.spatial % ARGS.C;
        NAME(norm_backward_apply)(&ARGS, ch, e, stats[2 * ch], stats[2 * ch + 1]);
    }
}

/* ------------------------------------------------------------------ the distance layer */

DEVICE double NAME(weight)(const Distance *a, i64 m, i64 d) {
    return a->w ? (double) ((const T *) a->w)[m * a->sw0 + d * a->sw1] : 1;
}

/* One thread per (n, m): out = sum_d w (x - c)^2. */
KERNEL(NAME(sq_dist), Distance) {
    const T *x = (const T *) ARGS.x, *c = (const T *) ARGS.c;
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 n = t / ARGS.M, m = t % ARGS.M;
        double sum = 0;
        for (i64 d = 0; d < ARGS.D; d++) {
            double diff = (double) x[n * ARGS.sx0 + d * ARGS.sx1] - c[m * ARGS.sc0 + d * ARGS.sc1];
            sum += NAME(weight)(&ARGS, m, d) * diff * diff;
        }
        ((T *) ARGS.a)[n * ARGS.sa0 + m * ARGS.sa1] = (T) sum;
    }
}

/* One thread per (n, d): gx = sum_m 2 g w (x - c). */
KERNEL(NAME(sq_dist_backward_x), Distance) {
    const T *x = (const T *) ARGS.x, *c = (const T *) ARGS.c, *g = (const T *) ARGS.g;
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 n = t / ARGS.D, d = t % ARGS.D;
        double sum = 0, xv = x[n * ARGS.sx0 + d * ARGS.sx1];
        for (i64 m = 0; m < ARGS.M; m++) {
            sum += 2 * (double) g[n * ARGS.sg0 + m * ARGS.sg1] * NAME(weight)(&ARGS, m, d) * (xv - c[m * ARGS.sc0 + d * ARGS.sc1]);
        }
        ((T *) ARGS.a)[n * ARGS.sa0 + d * ARGS.sa1] = (T) sum;
    }
}

/* One thread per (m, d): gc = -sum_n 2 g w (x - c), gw = sum_n g (x - c)^2 (each if wanted). */
KERNEL(NAME(sq_dist_backward_c), Distance) {
    const T *x = (const T *) ARGS.x, *c = (const T *) ARGS.c, *g = (const T *) ARGS.g;
    for (i64 t = THREAD_INDEX; t < ARGS.work; t += THREAD_COUNT) {
        i64 m = t / ARGS.D, d = t % ARGS.D;
        double sumC = 0, sumW = 0, cv = c[m * ARGS.sc0 + d * ARGS.sc1], wv = NAME(weight)(&ARGS, m, d);
        for (i64 n = 0; n < ARGS.N; n++) {
            double diff = x[n * ARGS.sx0 + d * ARGS.sx1] - cv, gv = g[n * ARGS.sg0 + m * ARGS.sg1];
            sumC -= 2 * gv * wv * diff;
            sumW += gv * diff * diff;
        }
        if (ARGS.b) {
            ((T *) ARGS.b)[m * ARGS.sb0 + d * ARGS.sb1] = (T) sumC;
        }
        if (ARGS.e) {
            ((T *) ARGS.e)[m * ARGS.se0 + d * ARGS.se1] = (T) sumW;
        }
    }
}
