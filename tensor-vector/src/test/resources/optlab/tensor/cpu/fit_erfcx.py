#!/usr/bin/env python3
"""Fits the polynomials in optlab.tensor.cpu.ErfcxPolynomial (needs mpmath): python3 fit_erfcx.py gives
the F64 fit (Z_MAX 28, degree 23), python3 fit_erfcx.py 10 11 the F32 one.

erfcx(z) = exp(z^2) * erfc(z) on 0 <= z <= 28 is written in t = (z - K)/(z + K), K = 3, rescaled to
s in [-1, 1] over the fitted range, interpolated at Chebyshev nodes with 50-digit arithmetic, and the
Chebyshev series (degree 23 by default) converted to monomial coefficients in s (printed lowest degree first),
followed by the worst relative error of Horner evaluation in float64 and float32.
"""
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 50
K = mp.mpf(3)
Z_MAX = mp.mpf(sys.argv[1]) if len(sys.argv) > 1 else mp.mpf(28)
DEGREE = int(sys.argv[2]) if len(sys.argv) > 2 else 23


def erfcx(z):
    return mp.exp(z * z) * mp.erfc(z)


def main():
    lo, hi = mp.mpf(-1), (Z_MAX - K) / (Z_MAX + K)
    f = lambda s: erfcx(K * (1 + t(s, lo, hi)) / (1 - t(s, lo, hi)))
    nodes = DEGREE + 31
    xs = [mp.cos(mp.pi * (j + mp.mpf(1) / 2) / nodes) for j in range(nodes)]
    fx = [f(x) for x in xs]
    cheb = [2 * sum(fx[j] * mp.cos(mp.pi * k * (j + mp.mpf(1) / 2) / nodes) for j in range(nodes)) / nodes
            for k in range(DEGREE + 1)]
    cheb[0] /= 2
    mono = chebyshev_to_monomial(cheb)
    alpha, beta = 2 / (hi - lo), -(lo + hi) / (hi - lo)  # s = alpha*t + beta
    print("s = (%s*z + %s)/(z + %s)" % (mp.nstr(alpha + beta, 17), mp.nstr((beta - alpha) * K, 17), K))
    for k, c in enumerate(mono):
        print(k, repr(float(c)))
    for dtype in (np.float64, np.float32):
        worst = 0
        for z in np.linspace(0, float(Z_MAX), 5001):
            z = dtype(z)
            s = (dtype(float(alpha + beta)) * z + dtype(float((beta - alpha) * K))) / (z + dtype(float(K)))
            p = dtype(float(mono[-1]))
            for c in reversed(mono[:-1]):
                p = p * s + dtype(float(c))
            exact = erfcx(mp.mpf(float(z)))
            worst = max(worst, abs(float((mp.mpf(float(p)) - exact) / exact)))
        print(dtype.__name__, "max relative error", worst)


def t(s, lo, hi):
    return lo + (s + 1) * (hi - lo) / 2


def chebyshev_to_monomial(c):
    n = len(c)
    T = [[mp.mpf(0)] * n for _ in range(n)]
    T[0][0] = mp.mpf(1)
    T[1][1] = mp.mpf(1)
    for k in range(2, n):
        for i in range(n):
            T[k][i] = (2 * T[k - 1][i - 1] if i > 0 else 0) - T[k - 2][i]
    return [sum(c[k] * T[k][i] for k in range(n)) for i in range(n)]


if __name__ == "__main__":
    main()
