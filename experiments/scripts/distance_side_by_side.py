#!/usr/bin/env python3
"""optlab's distance layer beside PyTorch's, in alternating short windows (run with Debian's python3-torch).

The development machine is shared: for seconds to minutes at a time its FMA rate halves (a time series of a
pure FMA loop reads about 230 then 116 GFLOP/s per core), so two benchmarks run minutes apart can land in
different phases and their ratio is off by up to 2x either way. This driver keeps one optlab JVM
(DistanceLayerTiming serve) and PyTorch alive side by side and, for every round and shape, times optlab for
--seconds, then PyTorch on 1 and on 2 threads (its best of the two counts: PyTorch's best thread setting),
with a two-thread FMA probe before and after. A round's ratio is PyTorch's best median over optlab's; rounds
whose four probe readings agree within 15% ran in one phase and are summarised separately.

    ./mvnw -B -q -o -pl tensor-vector,optim,models test-compile
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 experiments/scripts/distance_side_by_side.py --rounds 10 --threads 2
"""
import argparse
import os
import statistics
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_distance_bench as tb  # noqa: E402

SHAPES = tb.SHAPES
CLASSPATH = ":".join(f"{m}/target/{k}" for m in ("tensor-vector", "optim", "models") for k in ("classes",)) \
    + ":models/target/test-classes"


def java():
    for root in ("/usr/lib/jvm",):
        for name in sorted(os.listdir(root), reverse=True):
            if name.startswith("temurin-25"):
                return os.path.join(root, name, "bin", "java")
    return "java"


class Optlab:
    def __init__(self, threads):
        cmd = [java(), "-Xbatch", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
               "-cp", CLASSPATH, "optlab.models.layers.DistanceLayerTiming", "serve", str(threads)]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, bufsize=1)
        line = self.p.stdout.readline()
        if not line.startswith("ready"):
            raise SystemExit("optlab did not start: " + line)
        self.describe = line.strip()[6:]

    def ask(self, what, seconds):
        self.p.stdin.write(f"{what} {seconds}\n")
        self.p.stdin.flush()
        return [float(v) for v in self.p.stdout.readline().split()]

    def close(self):
        self.p.stdin.write("quit\n")
        self.p.stdin.flush()
        self.p.wait()


def torch_step(n, d, m):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(n, d, generator=g, requires_grad=(d != 784))
    c = (0.5 + 0.3 * torch.rand(m, d, generator=g)).requires_grad_()
    f = (2 * 2.302585092994046 / d) ** 0.5
    t = (f * (1 + 0.4 * torch.randn(m, d, generator=g))).requires_grad_()
    seed = torch.rand(n, m, generator=g)

    def step():
        for p in (x, c, t):
            p.grad = None
        torch.exp(-0.5 * tb.expansion(x, c, t)).backward(seed)
    return step


def median_ms(step, seconds):
    import time
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2, help="optlab's threads")
    a = ap.parse_args()
    opt = Optlab(a.threads)
    # glibc's malloc serves blocks above its mmap threshold (128 KB at start) by fresh mmaps, page faults and all,
    # and raises the threshold to the size of the first mmapped block freed (at most 32 MB). PyTorch's 784->1000
    # step ran 30-80 ms with the threshold low and 14-16 ms once raised (torch_distance_bench.py raises it by
    # accident: its float64 reference frees 31 MB blocks). Free one such block so PyTorch runs at its best.
    warm = torch.empty(31 * 2 ** 20 // 4)
    del warm
    steps = [torch_step(*s) for s in SHAPES]
    for th in (1, 2):
        torch.set_num_threads(th)
        for s in steps:
            median_ms(s, 1.0)
    print(f"# optlab: {opt.describe}, {a.threads} threads; torch {torch.__version__} (expansion, best of 1 and 2 threads)")
    print("round shape            optlab_ms torch1_ms torch2_ms  ratio  fma_before  fma_after")
    rows = []
    for r in range(a.rounds):
        for i, (n, d, m) in enumerate(SHAPES):
            before = opt.ask("fma", 0.2)
            o = opt.ask(i, a.seconds)[0]
            tt = []
            for th in (1, 2):
                torch.set_num_threads(th)
                tt.append(median_ms(steps[i], a.seconds))
            after = opt.ask("fma", 0.2)
            ratio = min(tt) / o
            probes = before + after
            steady = max(probes) <= 1.15 * min(probes)
            rows.append((i, ratio, steady, min(probes)))
            print(f"{r + 1:5d} {n:3d} {d:4d}->{m:<5d} {o:9.3f} {tt[0]:9.3f} {tt[1]:9.3f} {ratio:6.2f}  "
                  f"{before[0]:5.0f}/{before[1]:<5.0f} {after[0]:5.0f}/{after[1]:<5.0f}{'' if steady else '  (phase changed)'}",
                  flush=True)
    opt.close()
    print("# ratio = PyTorch's best median / optlab's median, per round")
    for i, (n, d, m) in enumerate(SHAPES):
        all_r = [x[1] for x in rows if x[0] == i]
        st = [x[1] for x in rows if x[0] == i and x[2]]
        full = [x[1] for x in rows if x[0] == i and x[2] and x[3] > 170]
        half = [x[1] for x in rows if x[0] == i and x[2] and x[3] <= 170]

        def fmt(v):
            return f"median {statistics.median(v):.2f} (min {min(v):.2f}, max {max(v):.2f}, {len(v)} rounds)" if v else "none"
        print(f"# {n:3d} {d:4d}->{m:<5d} all: {fmt(all_r)}; one phase: {fmt(st)}; full-rate phase: {fmt(full)};"
              f" half-rate phase: {fmt(half)}")


if __name__ == "__main__":
    main()
