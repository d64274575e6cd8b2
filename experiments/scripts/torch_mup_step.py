#!/usr/bin/env python3
"""PyTorch side of `optlab bench online-step`: one online SGD step of a muP MLP as a gamma-eta sweep run does it.

The model follows the gamma paper's reference code (Pehlevan-Group/Richness_Sweep): N(0, 1) weights and zero
biases, hidden layers divided by sqrt(fan_in), the readout by its fan_in, the output centered by a frozen copy of
the initial network and divided by gamma0; MSE against one-hot targets; plain SGD at lr = N * eta0. One fixed
random batch, so only the step is timed. Run with Debian's python3-torch, in F32 and F64:

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 experiments/scripts/torch_mup_step.py --threads 1
"""
import argparse
import copy
import math
import time

import torch
import torch.nn as nn


class Scaled(nn.Module):
    """Linear layer with N(0, 1) weights and the forward multiplier 1/sqrt(fan_in) (hidden) or 1/fan_in (readout)."""

    def __init__(self, fan_in, fan_out, readout):
        super().__init__()
        self.linear = nn.Linear(fan_in, fan_out)
        nn.init.normal_(self.linear.weight, 0, 1)
        nn.init.zeros_(self.linear.bias)
        self.scale = 1 / fan_in if readout else 1 / math.sqrt(fan_in)

    def forward(self, x):
        return self.linear(x) * self.scale


class Centered(nn.Module):
    def __init__(self, net, gamma0):
        super().__init__()
        self.net = net
        self.frozen = copy.deepcopy(net)
        for p in self.frozen.parameters():
            p.requires_grad_(False)
        self.gamma0 = gamma0

    def forward(self, x):
        return (self.net(x) - self.frozen(x)) / self.gamma0


def mup_mlp(sizes, gamma0):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(Scaled(sizes[i], sizes[i + 1], readout=(i == len(sizes) - 2)))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return Centered(nn.Sequential(*layers), gamma0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="784-256-256-10", help="MLP sizes, input-hidden...-output")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--gamma0", type=float, default=1.0)
    ap.add_argument("--eta0", type=float, default=1e-3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    sizes = [int(s) for s in args.sizes.split("-")]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for dtype in (torch.float32, torch.float64):
        torch.manual_seed(0)
        model = mup_mlp(sizes, args.gamma0).to(dtype)
        opt = torch.optim.SGD(model.net.parameters(), lr=sizes[1] * args.eta0)
        x = torch.randn(args.batch, sizes[0], dtype=dtype)
        y = nn.functional.one_hot(torch.randint(0, sizes[-1], (args.batch,)), sizes[-1]).to(dtype)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()

        for _ in range(200):
            step()
        # Ten equal windows: the median and the best (least disturbed on a shared machine), as optlab reports.
        per_step, total = [], 0
        for _ in range(10):
            steps, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < args.seconds / 10:
                step()
                steps += 1
            per_step.append((time.perf_counter() - t0) / steps)
            total += steps
        per_step.sort()
        median = (per_step[4] + per_step[5]) / 2
        print(f"mlp:{args.sizes} mup {str(dtype).replace('torch.', '')} batch {args.batch}, {args.threads} thread(s): "
              f"{median * 1e3:.3f} ms/step median, {per_step[0] * 1e3:.3f} best of 10 windows ({total} steps)")


if __name__ == "__main__":
    main()
