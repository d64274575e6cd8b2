#!/usr/bin/env python3
"""PyTorch twin of an optlab smoke run, from the same initial weights and in the same (file) order.

    ./optlab train --model mlp:784-256-10 --data fashion-mnist --optimizer sgd:lr=0 --steps 1 \
        --save-to /tmp/init.safetensors --out /tmp/init-run
    ./optlab train --model mlp:784-256-10 --data fashion-mnist --optimizer sgd:lr=0.1 --batch 100 --epochs 1 \
        --no-shuffle --init-from /tmp/init.safetensors --out runs/smoke-noshuffle
    /usr/bin/python3 experiments/scripts/torch_smoke_parity.py /tmp/init.safetensors runs/smoke-noshuffle

Trains torch.nn.Sequential(Linear(784, 256), ReLU, Linear(256, 10)) in float32 with SGD(lr=0.1) on batches of
100 in file order for one epoch (pixels / 255, as optlab's default normalization) and prints its final test
loss and accuracy beside the optlab run's, and the largest relative gap between the two per-step losses.
"""
import csv
import gzip
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DIR = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    return {k: np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]], dtype=np.float32).reshape(e["shape"])
            for k, e in header.items() if k != "__metadata__"}


def main(init, run_dir):
    torch.set_num_threads(2)
    xtr = torch.tensor(idx(f"{DIR}/train-images-idx3-ubyte.gz").reshape(-1, 784) / 255.0, dtype=torch.float32)
    ytr = torch.tensor(idx(f"{DIR}/train-labels-idx1-ubyte.gz").astype(np.int64))
    xte = torch.tensor(idx(f"{DIR}/t10k-images-idx3-ubyte.gz").reshape(-1, 784) / 255.0, dtype=torch.float32)
    yte = torch.tensor(idx(f"{DIR}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    w = read_safetensors(init)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    with torch.no_grad():
        for k, p in zip(["0.weight", "0.bias", "2.weight", "2.bias"], model.parameters()):
            p.copy_(torch.tensor(w[k]))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for k in range(600):
        opt.zero_grad()
        loss = F.cross_entropy(model(xtr[100 * k:100 * k + 100]), ytr[100 * k:100 * k + 100])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with torch.no_grad():
        logits = model(xte)
        test_loss, test_acc = F.cross_entropy(logits, yte).item(), (logits.argmax(1) == yte).double().mean().item()
    with open(f"{run_dir}/steps.csv") as f:
        ours = [float(r["loss"]) for r in csv.DictReader(f)]
    summary = json.load(open(f"{run_dir}/summary.json"))["final"]
    gap = max(abs(a - b) / abs(b) for a, b in zip(ours, losses))
    print(f"torch  {torch.__version__}: test loss {test_loss:.6f}  test acc {test_acc:.4f}")
    print(f"optlab            : test loss {summary['test_loss']:.6f}  test acc {summary['test_acc']:.4f}")
    print(f"per-step losses: first {ours[0]:.7f} vs {losses[0]:.7f}; largest relative gap over 600 steps {gap:.2e}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
