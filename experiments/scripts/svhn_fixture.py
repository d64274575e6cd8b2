#!/usr/bin/env python3
"""Writes the tiny SVHN-format MAT-files that SvhnTest reads (an independent writer: scipy.io.savemat).

X is uint8 [H, W, C, N] (SVHN's layout) with pixel (row r, col c, channel k, sample n) = (n*60 + k*20 + r*5 + c) % 256,
y is [N, 1] labels 1..10 (10 = digit 0). train: compressed, uint8 labels; test: uncompressed, double labels.

    python3 experiments/scripts/svhn_fixture.py experiments/src/test/resources/optlab/experiments/data/svhn
"""
import sys

import numpy as np
import scipy.io


def images(n, h=4, w=5, c=3):
    x = np.zeros((h, w, c, n), dtype=np.uint8)
    for s in range(n):
        for k in range(c):
            for r in range(h):
                for col in range(w):
                    x[r, col, k, s] = (s * 60 + k * 20 + r * 5 + col) % 256
    return x


def main(out):
    scipy.io.savemat(f"{out}/train_32x32.mat",
                     {"X": images(6), "y": np.array([[1], [10], [3], [10], [9], [5]], dtype=np.uint8)},
                     do_compression=True, format="5")
    scipy.io.savemat(f"{out}/test_32x32.mat",
                     {"X": images(2), "y": np.array([[10.0], [2.0]])}, do_compression=False, format="5")


if __name__ == "__main__":
    main(sys.argv[1])
