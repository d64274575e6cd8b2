package optlab.tensor.reference;

import java.util.Arrays;
import optlab.tensor.Tensor;
import optlab.tensor.backend.Pool2dSpec;
import optlab.tensor.internal.PoolGeometry;

/**
 * 2-D pooling by its definition (PyTorch semantics, floor mode). Max pooling skips padded cells and
 * keeps the first maximum in row-major window order (a NaN wins, as in PyTorch); average pooling
 * divides by kh·kw, counting padded zeros (count_include_pad=True: in floor mode no window reaches
 * past the padding, so the divisor is always the full kernel).
 */
final class RefPool {
    private RefPool() {
    }

    static void maxPool2d(Tensor x, Pool2dSpec spec, Tensor out, Tensor argmax) {
        PoolGeometry g = PoolGeometry.of("maxPool2d", x, spec, out, argmax);
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int p = 0; p < g.ho(); p++) {
                    for (int q = 0; q < g.wo(); q++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int i = 0; i < spec.kernelH(); i++) {
                            int ih = p * spec.strideH() - spec.padH() + i;
                            for (int j = 0; j < spec.kernelW(); j++) {
                                int iw = q * spec.strideW() - spec.padW() + j;
                                if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) {
                                    continue;
                                }
                                double v = x.get(n, c, ih, iw);
                                if (at < 0 || v > best || Double.isNaN(v)) {
                                    best = v;
                                    at = ih * g.w() + iw;
                                }
                            }
                        }
                        out.set(best, n, c, p, q);
                        if (argmax != null) {
                            argmax.set(at, n, c, p, q);
                        }
                    }
                }
            }
        }
    }

    static void maxPool2dBackward(Tensor gOut, Tensor argmax, Tensor gx) {
        PoolGeometry g = PoolGeometry.maxBackward(gOut, argmax, gx);
        double[][][][] acc = new double[g.n()][g.c()][g.h()][g.w()];
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int p = 0; p < g.ho(); p++) {
                    for (int q = 0; q < g.wo(); q++) {
                        double a = argmax.get(n, c, p, q);
                        if (!(a >= 0 && a < (double) g.h() * g.w() && a == Math.rint(a))) {
                            throw new IllegalArgumentException("maxPool2dBackward: argmax " + a + " at "
                                    + Arrays.toString(new int[] {n, c, p, q}) + " is not a position in a "
                                    + g.h() + "x" + g.w() + " plane of gx " + Arrays.toString(gx.shape()));
                        }
                        int at = (int) a;
                        acc[n][c][at / g.w()][at % g.w()] += gOut.get(n, c, p, q);
                    }
                }
            }
        }
        write(acc, gx);
    }

    static void avgPool2d(Tensor x, Pool2dSpec spec, Tensor out) {
        PoolGeometry g = PoolGeometry.of("avgPool2d", x, spec, out, null);
        double area = spec.kernelH() * spec.kernelW();
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int p = 0; p < g.ho(); p++) {
                    for (int q = 0; q < g.wo(); q++) {
                        double s = 0;
                        for (int i = 0; i < spec.kernelH(); i++) {
                            int ih = p * spec.strideH() - spec.padH() + i;
                            for (int j = 0; j < spec.kernelW(); j++) {
                                int iw = q * spec.strideW() - spec.padW() + j;
                                if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                    s += x.get(n, c, ih, iw);
                                }
                            }
                        }
                        out.set(s / area, n, c, p, q);
                    }
                }
            }
        }
    }

    static void avgPool2dBackward(Tensor gOut, Pool2dSpec spec, Tensor gx) {
        PoolGeometry g = PoolGeometry.backward("avgPool2dBackward", gOut, spec, gx);
        double area = spec.kernelH() * spec.kernelW();
        double[][][][] acc = new double[g.n()][g.c()][g.h()][g.w()];
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int p = 0; p < g.ho(); p++) {
                    for (int q = 0; q < g.wo(); q++) {
                        double share = gOut.get(n, c, p, q) / area;
                        for (int i = 0; i < spec.kernelH(); i++) {
                            int ih = p * spec.strideH() - spec.padH() + i;
                            for (int j = 0; j < spec.kernelW(); j++) {
                                int iw = q * spec.strideW() - spec.padW() + j;
                                if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                    acc[n][c][ih][iw] += share;
                                }
                            }
                        }
                    }
                }
            }
        }
        write(acc, gx);
    }

    private static void write(double[][][][] acc, Tensor gx) {
        for (int n = 0; n < acc.length; n++) {
            for (int c = 0; c < acc[n].length; c++) {
                for (int h = 0; h < acc[n][c].length; h++) {
                    for (int w = 0; w < acc[n][c][h].length; w++) {
                        gx.set(acc[n][c][h][w], n, c, h, w);
                    }
                }
            }
        }
    }
}
