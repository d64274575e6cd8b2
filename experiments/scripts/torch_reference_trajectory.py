#!/usr/bin/env python3
"""Reference trajectory for optlab's TrajectoryOracleTest (experiments/src/test/java/optlab/experiments/run/).

Reads initial weights and training data from a safetensors file (keys 0.weight, 0.bias, 2.weight, 2.bias of
optlab's mlp:8-16-3, plus data.x [40, 8] and data.y [40]), trains torch.nn.Sequential(Linear, ReLU, Linear) in
float64 with torch.optim.SGD(lr=0.2, momentum=0.9, weight_decay=0.01) on batches of 16 in file order (the last
batch of each epoch has 8 samples), the learning rate set per step to the closed form of CosineAnnealingLR
(T_max=10, eta_min=0), and writes a JSON fixture: the inputs, the loss of each of the 7 steps (before its
update) and the final weights. Run with Debian's python3-torch:

    /usr/bin/python3 experiments/scripts/torch_reference_trajectory.py inputs.safetensors \
        experiments/src/test/resources/optlab/experiments/run/torch_trajectory.json
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS, BATCH, LR, MOMENTUM, WEIGHT_DECAY, T_MAX = 7, 16, 0.2, 0.9, 0.01, 10
DTYPES = {"F64": np.float64, "F32": np.float32}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=DTYPES[e["dtype"]]).reshape(e["shape"]).astype(np.float64)
    return out


def main(src, dst):
    t = read_safetensors(src)
    x, y = torch.tensor(t["data.x"]), torch.tensor(t["data.y"]).long()
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3)).double()
    keys = ["0.weight", "0.bias", "2.weight", "2.bias"]
    with torch.no_grad():
        for k, p in zip(keys, model.parameters()):
            p.copy_(torch.tensor(t[k]))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    n, losses, lrs = x.shape[0], [], []
    per_epoch = (n + BATCH - 1) // BATCH
    for k in range(STEPS):
        lr = LR * (1 + math.cos(math.pi * k / T_MAX)) / 2
        for g in opt.param_groups:
            g["lr"] = lr
        start = (k % per_epoch) * BATCH
        xb, yb = x[start:start + BATCH], y[start:start + BATCH]
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        lrs.append(lr)
    fixture = {
        "script": "experiments/scripts/torch_reference_trajectory.py",
        "torch": torch.__version__,
        "init": {k: t[k].ravel().tolist() for k in keys},
        "x": t["data.x"].ravel().tolist(),
        "y": t["data.y"].ravel().tolist(),
        "lr": lrs,
        "losses": losses,
        "final": {k: p.detach().numpy().ravel().tolist() for k, p in zip(keys, model.parameters())},
    }
    with open(dst, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
