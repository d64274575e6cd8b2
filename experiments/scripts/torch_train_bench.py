#!/usr/bin/env python3
"""PyTorch side of the training-throughput comparison (run with Debian's python3-torch).

Builds the same architectures as optlab's zoo specs and times SGD training steps (forward, cross-entropy,
backward, update) on random data of the real shapes, reporting samples/s. Its best thread setting on this
machine was 2 threads with OMP_WAIT_POLICY=PASSIVE:

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 experiments/scripts/torch_train_bench.py --threads 2 mlp
"""
import argparse
import time

import torch
import torch.nn as nn


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def cnn(in_ch, hw, convs, fc, classes):
    """Mirror of optlab's cnn spec: conv(same)-ReLU-maxpool2 stages, flatten, FC-ReLU, classifier."""
    layers, c, s = [], in_ch, hw
    for w in convs:
        layers += [nn.Conv2d(c, w, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        c, s = w, s // 2
    layers += [nn.Flatten(), nn.Linear(c * s * s, fc), nn.ReLU(), nn.Linear(fc, classes)]
    return nn.Sequential(*layers)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.downsample is None else self.downsample(x)))


def resnet(blocks, width, classes):
    """Mirror of optlab's resnet spec: CIFAR stem (3x3 conv, BN, ReLU), stages of basic blocks, GAP, fc."""
    layers = [nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    c = width
    for s, n in enumerate(blocks):
        w = width * 2 ** s
        for b in range(n):
            layers.append(Block(c, w, 2 if (b == 0 and s > 0) else 1))
            c = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers)


class VitBlock(nn.Module):
    def __init__(self, dim, heads, ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * ratio), nn.GELU(), nn.Linear(dim * ratio, dim))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class Vit(nn.Module):
    """Mirror of optlab's vit spec: patch conv, class token, learned position embedding, pre-norm blocks."""

    def __init__(self, image, patch, dim, depth, heads, ratio, classes, in_ch=3):
        super().__init__()
        self.proj = nn.Conv2d(in_ch, dim, patch, patch)
        n = (image // patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, dim))
        self.blocks = nn.Sequential(*[VitBlock(dim, heads, ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.proj(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        return self.head(self.norm(self.blocks(x))[:, 0])


CONFIGS = {
    # name: (model factory, input shape without batch, classes, default batch)
    "mlp": (lambda: mlp([784, 4000, 4000, 10]), (784,), 10, 100),
    "cnn": (lambda: cnn(3, 32, [32, 64], 128, 10), (3, 32, 32), 10, 128),
    "resnet": (lambda: resnet([2, 2, 2, 2], 16, 10), (3, 32, 32), 10, 128),
    "vit": (lambda: Vit(32, 4, 192, 6, 3, 4, 10), (3, 32, 32), 10, 128),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("configs", nargs="*", default=list(CONFIGS), help="any of " + ", ".join(CONFIGS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=0, help="0: each config's default")
    ap.add_argument("--seconds", type=float, default=20.0, help="measurement time per config")
    ap.add_argument("--lr", type=float, default=0.01)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name in args.configs:
        factory, shape, classes, batch = CONFIGS[name]
        batch = args.batch or batch
        model = factory()
        opt = torch.optim.SGD(model.parameters(), lr=args.lr)
        x = torch.rand(batch, *shape)
        y = torch.randint(0, classes, (batch,))

        def step():
            opt.zero_grad(set_to_none=True)
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            return loss

        for _ in range(3):
            step()
        steps, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < args.seconds:
            step()
            steps += 1
        dt = time.perf_counter() - t0
        params = sum(p.numel() for p in model.parameters())
        print(f"{name:7s} batch {batch:4d}  params {params:>10,d}  {steps * batch / dt:9.1f} samples/s  "
              f"({dt / steps * 1e3:.1f} ms/step)")


if __name__ == "__main__":
    main()
