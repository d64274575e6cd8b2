package optlab.tensor.cpu;

import optlab.tensor.DType;
import optlab.tensor.Tensor;
import optlab.tensor.backend.ReduceOp;
import optlab.tensor.internal.Checks;
import optlab.tensor.internal.ReduceChecks;

/**
 * Reductions, argmax and moments: validates, canonicalizes the shapes into a {@link ReducePlan}
 * and splits the work over threads: by output elements when there are enough of them, otherwise
 * (few outputs, long reductions, e.g. a full sum) by slices of the longest reduced axis whose
 * partial results are combined at the end. The vector loops live in ReduceF32/ReduceF64.
 */
final class CpuReduce {
    /** Fewest elements worth handing to one task. */
    static final long GRAIN = 1 << 15;
    /** Widest accumulator row of one COLUMN unit, in elements: keeps the row in L1. */
    static final int MAX_COLUMN_CHUNK = 1024;
    /** Column chunks are multiples of this: 16 lanes, a whole vector at every width. */
    private static final int COLUMN_QUANTUM = 16;

    private CpuReduce() {
    }

    /** The work of units [u0, u1) of a plan; results to the plan's outputs or to {@code partial}. */
    @FunctionalInterface
    private interface Kernel {
        void run(ReducePlan p, long u0, long u1, int columnChunk, double[] partial);
    }

    /** Combines the partial results of a split reduction and writes the outputs. */
    @FunctionalInterface
    private interface Finish {
        void write(ReducePlan p, double[][] partials);
    }

    static void reduce(Parallel parallel, ReduceOp op, Tensor x, Tensor out) {
        String name = "reduce " + op;
        Checks.sameDType(name, x, out);
        ReduceChecks.keepdim(name, "out", x, out);
        ReducePlan p = ReducePlan.of(x, out, null);
        if (p.outputs == 0) {
            return;
        }
        if (p.count == 0) {
            if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
                throw new IllegalArgumentException(name + ": cannot reduce zero elements (x " + Checks.describe(x)
                        + " into out " + Checks.describe(out) + ")");
            }
            fillOutputs(p, op == ReduceOp.SUM ? 0 : Double.NaN, Double.NaN);
            return;
        }
        double divisor = op == ReduceOp.MEAN ? p.count : 1;
        boolean f32 = p.dtype == DType.F32;
        Kernel kernel = switch (p.mode) {
            case ROW -> f32
                    ? (q, u0, u1, cw, part) -> ReduceF32.rows(q, op, u0, u1, divisor, part)
                    : (q, u0, u1, cw, part) -> ReduceF64.rows(q, op, u0, u1, divisor, part);
            case COLUMN -> f32
                    ? (q, u0, u1, cw, part) -> ReduceF32.columns(q, op, u0, u1, cw, divisor, part)
                    : (q, u0, u1, cw, part) -> ReduceF64.columns(q, op, u0, u1, cw, divisor, part);
            case GENERIC -> (q, u0, u1, cw, part) -> generic(q, op, u0, u1, divisor, part);
        };
        execute(parallel, p, 1, kernel, (q, parts) -> {
            Odometer kept = q.kept();
            kept.seek(0);
            for (int m = 0; m < q.outputs; m++, kept.next()) {
                double r = parts[0][m];
                for (int t = 1; t < parts.length; t++) {
                    double v = parts[t][m];
                    r = switch (op) {
                        case SUM, MEAN -> r + v;
                        case MAX -> Math.max(r, v);
                        case MIN -> Math.min(r, v);
                    };
                }
                q.dtype.set(q.out, q.outOff + kept.off1, r / divisor);
            }
        });
    }

    static void argmax(Parallel parallel, Tensor x, int axis, Tensor out) {
        String name = "argmax";
        Checks.sameDType(name, x, out);
        int a = x.axis(axis);
        ReduceChecks.alongAxis(name, "out", x, a, out);
        ReducePlan p = ReducePlan.of(x, out, null);
        if (p.outputs == 0) {
            return;
        }
        if (p.count == 0) {
            throw new IllegalArgumentException(name + ": axis " + a + " of x " + Checks.describe(x) + " is empty");
        }
        // One reduced axis at most (none when x has size 1 there): rows are contiguous or strided by it.
        long len = p.count, stride = p.redDims.length == 0 ? 0 : p.redX[0];
        boolean f32 = p.dtype == DType.F32;
        long tasks = Math.min(Math.max(1, p.outputs * len / GRAIN), Math.min(p.outputs, 4L * parallel.threads()));
        parallel.forEach((int) tasks, t -> {
            long m0 = p.outputs * t / tasks, m1 = p.outputs * (t + 1) / tasks;
            Odometer kept = p.kept();
            kept.seek(m0);
            for (long m = m0; m < m1; m++, kept.next()) {
                long base = p.xOff + kept.off0;
                long best = stride == 1 ? (f32 ? ReduceF32.argmax(p.x, base, len) : ReduceF64.argmax(p.x, base, len))
                        : stridedArgmax(p, base, len, stride);
                p.dtype.set(p.out, p.outOff + kept.off1, best);
            }
        });
    }

    static void moments(Parallel parallel, Tensor x, Tensor mean, Tensor var, int correction) {
        String name = "moments";
        Checks.sameDType(name, x, mean, var);
        ReduceChecks.keepdim(name, "mean", x, mean);
        ReduceChecks.sameShapes(name, new String[] {"mean", "var"}, mean, var);
        if (correction < 0) {
            throw new IllegalArgumentException(name + ": correction must be >= 0, got " + correction);
        }
        ReducePlan p = ReducePlan.of(x, mean, var);
        if (p.outputs == 0) {
            return;
        }
        if (p.count == 0) {
            fillOutputs(p, Double.NaN, Double.NaN);
            return;
        }
        // Two passes: the mean, then sums of squares centred on it (no cancellation at large offsets).
        reduce(parallel, ReduceOp.MEAN, x, mean);
        boolean f32 = p.dtype == DType.F32;
        Kernel kernel = switch (p.mode) {
            case ROW -> f32
                    ? (q, u0, u1, cw, part) -> ReduceF32.centeredRows(q, u0, u1, correction, part)
                    : (q, u0, u1, cw, part) -> ReduceF64.centeredRows(q, u0, u1, correction, part);
            case COLUMN -> f32
                    ? (q, u0, u1, cw, part) -> ReduceF32.centeredColumns(q, u0, u1, cw, correction, part)
                    : (q, u0, u1, cw, part) -> ReduceF64.centeredColumns(q, u0, u1, cw, correction, part);
            case GENERIC -> (q, u0, u1, cw, part) -> genericCentered(q, u0, u1, correction, part);
        };
        execute(parallel, p, 2, kernel, (q, parts) -> {
            Odometer kept = q.kept();
            kept.seek(0);
            for (int m = 0; m < q.outputs; m++, kept.next()) {
                double s1 = 0, s2 = 0;
                for (double[] part : parts) {
                    s1 += part[2 * m];
                    s2 += part[2 * m + 1];
                }
                q.dtype.set(q.out2, q.out2Off + kept.off2, variance(s1, s2, q.count, correction));
            }
        });
    }

    /** Variance from sums centred on a shift c: s1 = Σ(x − c), s2 = Σ(x − c)² (exact for any c). */
    static double variance(double s1, double s2, double n, int correction) {
        return Math.max(0, s2 - s1 * s1 / n) / Math.max(0, n - correction);
    }

    /** Runs a kernel over the plan, split over threads (see the class comment). */
    private static void execute(Parallel parallel, ReducePlan p, int slots, Kernel kernel, Finish finish) {
        int threads = parallel.threads();
        int cw = columnChunk(p, threads);
        long units = p.mode == ReducePlan.Mode.COLUMN
                ? p.outputs / p.keptDims[p.keptDims.length - 1] * ceilDiv(p.keptDims[p.keptDims.length - 1], cw)
                : p.outputs;
        long work = p.outputs * p.count;
        long maxTasks = Math.min(work / GRAIN, 4L * threads);
        if (threads == 1 || maxTasks < 2) {
            kernel.run(p, 0, units, cw, null);
        } else if (units >= 2L * threads) {
            int tasks = (int) Math.min(units, maxTasks);
            parallel.forEach(tasks, t -> kernel.run(p, units * t / tasks, units * (t + 1) / tasks, cw, null));
        } else {
            // Few outputs: slice the longest reduced axis; each slice fills its own partial row.
            int axis = p.longestReduced();
            long len = p.redDims[axis];
            int tasks = (int) Math.min(len, maxTasks);
            double[][] partials = new double[tasks][(int) (p.outputs * slots)];
            parallel.forEach(tasks, t -> kernel.run(p.narrowed(axis, len * t / tasks, len * (t + 1) / tasks),
                    0, units, cw, partials[t]));
            finish.write(p, partials);
        }
    }

    /** Column chunk width for COLUMN plans: whole rows up to a cap, narrower when that leaves threads idle. */
    private static int columnChunk(ReducePlan p, int threads) {
        if (p.mode != ReducePlan.Mode.COLUMN) {
            return 0;
        }
        long cols = p.keptDims[p.keptDims.length - 1], rowsOfOutputs = p.outputs / cols;
        long cw = Math.min(cols, MAX_COLUMN_CHUNK);
        if (threads > 1 && rowsOfOutputs * ceilDiv(cols, cw) < 2L * threads) {
            long want = ceilDiv(2L * threads, rowsOfOutputs);
            cw = Math.min(cw, Math.max(COLUMN_QUANTUM, ceilDiv(ceilDiv(cols, want), COLUMN_QUANTUM) * COLUMN_QUANTUM));
        }
        return (int) cw;
    }

    /** Scalar strided reduction for plans with no contiguous axis, outputs [m0, m1). */
    private static void generic(ReducePlan p, ReduceOp op, long m0, long m1, double divisor, double[] partial) {
        Odometer kept = p.kept(), red = p.reduced();
        kept.seek(m0);
        for (long m = m0; m < m1; m++, kept.next()) {
            double r = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0;
            long base = p.xOff + kept.off0;
            red.seek(0);
            for (long j = 0; j < p.count; j++, red.next()) {
                double v = p.dtype.get(p.x, base + red.off0);
                r = switch (op) {
                    case SUM, MEAN -> r + v;
                    case MAX -> Math.max(r, v);
                    case MIN -> Math.min(r, v);
                };
            }
            if (partial != null) {
                partial[(int) m] = r;
            } else {
                p.dtype.set(p.out, p.outOff + kept.off1, r / divisor);
            }
        }
    }

    /** Scalar strided second pass of moments (see ReduceF32.centeredRows). */
    private static void genericCentered(ReducePlan p, long m0, long m1, int correction, double[] partial) {
        Odometer kept = p.kept(), red = p.reduced();
        kept.seek(m0);
        for (long m = m0; m < m1; m++, kept.next()) {
            double c = p.dtype.get(p.out, p.outOff + kept.off1), s1 = 0, s2 = 0;
            long base = p.xOff + kept.off0;
            red.seek(0);
            for (long j = 0; j < p.count; j++, red.next()) {
                double d = p.dtype.get(p.x, base + red.off0) - c;
                s1 += d;
                s2 += d * d;
            }
            if (partial != null) {
                partial[(int) (2 * m)] = s1;
                partial[(int) (2 * m + 1)] = s2;
            } else {
                p.dtype.set(p.out2, p.out2Off + kept.off2, variance(s1, s2, p.count, correction));
            }
        }
    }

    /** Index of the first maximum (NaN counting as maximum) of a strided run. */
    private static long stridedArgmax(ReducePlan p, long base, long len, long stride) {
        long best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (long k = 0; k < len; k++) {
            double v = p.dtype.get(p.x, base + k * stride);
            if (Double.isNaN(v)) {
                return k;
            }
            if (k == 0 || v > bestValue) {
                best = k;
                bestValue = v;
            }
        }
        return best;
    }

    /** Writes v1 to every output (and v2 to every second output, if any). */
    private static void fillOutputs(ReducePlan p, double v1, double v2) {
        Odometer kept = p.kept();
        kept.seek(0);
        for (long m = 0; m < p.outputs; m++, kept.next()) {
            p.dtype.set(p.out, p.outOff + kept.off1, v1);
            if (p.out2 != null) {
                p.dtype.set(p.out2, p.out2Off + kept.off2, v2);
            }
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
