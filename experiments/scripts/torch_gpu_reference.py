#!/usr/bin/env python3
"""PyTorch side of the GPU suite (experiments/scripts/gpu-suite.sh): torch.matmul GFLOP/s with TF32 off at the
given sizes, and the eager MLP 784-4000-4000-10 SGD training step (forward, cross-entropy, backward, update) in
samples/s at the given batch sizes, on the first CUDA device.

    python3 experiments/scripts/torch_gpu_reference.py --gemm 4096 8192 --mlp-batch 100 1024
"""
import argparse
import time

import torch
import torch.nn as nn


def timed(fn, reps):
    fn()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) / reps


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gemm", type=int, nargs="*", default=[4096, 8192])
    p.add_argument("--mlp-batch", type=int, nargs="*", default=[100, 1024])
    p.add_argument("--reps", type=int, default=10)
    a = p.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device("cuda")
    print("torch", torch.__version__, "on", torch.cuda.get_device_name(dev))
    for n in a.gemm:
        x = torch.rand(n, n, device=dev) * 2 - 1
        y = torch.rand(n, n, device=dev) * 2 - 1
        sec = timed(lambda: torch.matmul(x, y), a.reps)
        print(f"torch.matmul {n}^3 F32: {sec * 1e3:.3f} ms, {2 * n ** 3 / sec * 1e-9:.1f} GFLOP/s")
    for batch in a.mlp_batch:
        model = nn.Sequential(nn.Linear(784, 4000), nn.ReLU(), nn.Linear(4000, 4000), nn.ReLU(),
                              nn.Linear(4000, 10)).to(dev)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x = torch.randn(batch, 784, device=dev)
        t = torch.randint(0, 10, (batch,), device=dev)

        def step():
            opt.zero_grad(set_to_none=True)
            nn.functional.cross_entropy(model(x), t).backward()
            opt.step()

        sec = timed(step, max(a.reps, 20))
        print(f"torch eager MLP 784-4000-4000-10 batch {batch}: {sec * 1e3:.3f} ms/step, {batch / sec:.0f} samples/s")


if __name__ == "__main__":
    main()
