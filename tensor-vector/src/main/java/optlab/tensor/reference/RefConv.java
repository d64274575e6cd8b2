package optlab.tensor.reference;

import optlab.tensor.Tensor;
import optlab.tensor.backend.Conv2dSpec;
import optlab.tensor.internal.ConvGeometry;

/**
 * 2-D convolution by its definition (PyTorch semantics: cross-correlation, zero padding):
 * out[n, o, p, q] = bias[o] + Σ_{c, i, j} x[n, c, p·sH − pH + i, q·sW − pW + j] · w[o, c, i, j],
 * where x outside the image is 0. Sums are taken in double.
 */
final class RefConv {
    private RefConv() {
    }

    static void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec, Tensor out) {
        ConvGeometry g = ConvGeometry.forward(x, w, bias, spec, out);
        for (int n = 0; n < g.n(); n++) {
            for (int o = 0; o < g.o(); o++) {
                for (int p = 0; p < g.ho(); p++) {
                    for (int q = 0; q < g.wo(); q++) {
                        double s = bias == null ? 0 : bias.get(o);
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < g.kh(); i++) {
                                int ih = p * g.strideH() - g.padH() + i;
                                for (int j = 0; j < g.kw(); j++) {
                                    int iw = q * g.strideW() - g.padW() + j;
                                    if (inside(g, ih, iw)) {
                                        s += x.get(n, c, ih, iw) * w.get(o, c, i, j);
                                    }
                                }
                            }
                        }
                        out.set(s, n, o, p, q);
                    }
                }
            }
        }
    }

    /** gx[n, c, ih, iw] = Σ over the outputs that read x[n, c, ih, iw] of gOut · w (a scatter of the forward sum). */
    static void backwardInput(Tensor gOut, Tensor w, Conv2dSpec spec, Tensor gx) {
        ConvGeometry g = ConvGeometry.backwardInput(gOut, w, spec, gx);
        double[][][][] acc = new double[g.n()][g.c()][g.h()][g.w()];
        for (int n = 0; n < g.n(); n++) {
            for (int o = 0; o < g.o(); o++) {
                for (int p = 0; p < g.ho(); p++) {
                    for (int q = 0; q < g.wo(); q++) {
                        double go = gOut.get(n, o, p, q);
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < g.kh(); i++) {
                                int ih = p * g.strideH() - g.padH() + i;
                                for (int j = 0; j < g.kw(); j++) {
                                    int iw = q * g.strideW() - g.padW() + j;
                                    if (inside(g, ih, iw)) {
                                        acc[n][c][ih][iw] += go * w.get(o, c, i, j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int ih = 0; ih < g.h(); ih++) {
                    for (int iw = 0; iw < g.w(); iw++) {
                        gx.set(acc[n][c][ih][iw], n, c, ih, iw);
                    }
                }
            }
        }
    }

    /** gw[o, c, i, j] = Σ_{n, p, q} gOut[n, o, p, q] · x[n, c, p·sH − pH + i, q·sW − pW + j]; gBias[o] = Σ gOut[n, o, ·, ·]. */
    static void backwardWeight(Tensor gOut, Tensor x, Conv2dSpec spec, Tensor gw, Tensor gBias) {
        ConvGeometry g = ConvGeometry.backwardWeight(gOut, x, spec, gw, gBias);
        for (int o = 0; o < g.o(); o++) {
            for (int c = 0; c < g.c(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        double s = 0;
                        for (int n = 0; n < g.n(); n++) {
                            for (int p = 0; p < g.ho(); p++) {
                                int ih = p * g.strideH() - g.padH() + i;
                                for (int q = 0; q < g.wo(); q++) {
                                    int iw = q * g.strideW() - g.padW() + j;
                                    if (inside(g, ih, iw)) {
                                        s += gOut.get(n, o, p, q) * x.get(n, c, ih, iw);
                                    }
                                }
                            }
                        }
                        gw.set(s, o, c, i, j);
                    }
                }
            }
            if (gBias != null) {
                double s = 0;
                for (int n = 0; n < g.n(); n++) {
                    for (int p = 0; p < g.ho(); p++) {
                        for (int q = 0; q < g.wo(); q++) {
                            s += gOut.get(n, o, p, q);
                        }
                    }
                }
                gBias.set(s, o);
            }
        }
    }

    private static boolean inside(ConvGeometry g, int ih, int iw) {
        return ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
    }
}
