#!/usr/bin/env python3
"""PyTorch side of the distance-layer timing (run with Debian's python3-torch).

Times one distance layer (Kurbiel & Khaleghian: z = sum_i theta^2 (x_i - c_i)^2, output exp(-z/2)) forward
and backward, as optlab's DistanceLayerTiming does: parameters centroids C ~ U[0.5, 0.8] and widths
theta = f(1 + 0.4 N(0, 1)), inputs in [0, 1], a fixed random output gradient; dx only where the layer is
not the first (in != 784). Two formulas under autograd: "direct" (broadcast (x - C)^2, the [N, M, D]
temporary; skipped at 784->1000) and "expansion" (the authors' GEMM form x^2 (theta^2)^T - 2 x (theta^2 C)^T + rowsum(theta^2 C^2)).
Prints the median milliseconds per forward+backward for each shape:

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 experiments/scripts/torch_distance_bench.py --threads 1
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 experiments/scripts/torch_distance_bench.py --threads 2
"""
import argparse
import math
import statistics
import time

import torch

SHAPES = [(100, 784, 100), (100, 100, 100), (256, 784, 1000)]


def direct(x, c, t):
    return ((x[:, None, :] - c[None, :, :]) ** 2 * (t * t)[None, :, :]).sum(-1)


def expansion(x, c, t):
    w = t * t
    return (x * x) @ w.T - 2 * (x @ (w * c).T) + (w * c * c).sum(1)


def make_step(fn, n, d, m, check=True):
    """One forward and backward of the layer on fixed random data; checked against float64 first when asked."""
    g = torch.Generator().manual_seed(1)
    x = torch.rand(n, d, generator=g, requires_grad=(d != 784))
    c = (0.5 + 0.3 * torch.rand(m, d, generator=g)).requires_grad_()
    f = math.sqrt(2 * math.log(10) / d)
    t = (f * (1 + 0.4 * torch.randn(m, d, generator=g))).requires_grad_()
    seed = torch.rand(n, m, generator=g)
    if check:
        ref = torch.exp(-0.5 * direct(x.double(), c.double(), t.double()))
        assert torch.allclose(torch.exp(-0.5 * fn(x, c, t)).double(), ref, atol=1e-5), "result differs from float64"

    def step():
        for p in (x, c, t):
            p.grad = None
        y = torch.exp(-0.5 * fn(x, c, t))
        y.backward(seed)
    return step


def median_ms(step, seconds):
    """Median milliseconds of the steps run in `seconds` (at least 5)."""
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def bench(fn, n, d, m, seconds):
    step = make_step(fn, n, d, m)
    for _ in range(3):
        step()
    return median_ms(step, seconds)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    for n, d, m in SHAPES:
        for name, fn in (("direct", direct), ("expansion", expansion)):
            if name == "direct" and n * m * d > 5e7:
                # Its [N, M, D] temporaries (0.8 GB each at 256x1000x784) make it pointless here.
                print(f"distance {name:9s} batch {n:3d} {d:4d}->{m:<4d} skipped ({n * m * d * 4 / 1e9:.1f} GB temporaries)")
                continue
            ms = bench(fn, n, d, m, a.seconds)
            print(f"distance {name:9s} batch {n:3d} {d:4d}->{m:<4d} fwd+bwd median {ms:8.3f} ms")


if __name__ == "__main__":
    main()
